// Leader election with coordination.k8s.io/v1 Leases (SPEC §11): only the holder of a Lease
// processes applications and writes. With sharding, one Lease per shard; a replica holds at most
// one of its candidate Leases.
//
// Contract:
//  * A Lease is free when it does not exist, has no holderIdentity, or its renewTime plus
//    leaseDurationSeconds lies in the past. Taking one is a create or a resourceVersion-guarded
//    update, so two replicas never both win it.
//  * The holder renews every retry period; when no renewal succeeded for `renew_deadline`, or
//    the Lease shows another holder, leadership is lost for good (lost() turns true; the
//    process must stop writing and exit).
//  * Every Lease carries the annotation argocd-image-updater.argoproj.io/shard-count. A
//    candidate whose annotation names a different count is never taken; mismatch() says why.
//  * stop() releases a held Lease (holderIdentity cleared) so a standby takes over at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kube/client.hpp"

namespace iu::kube {

struct LeaseCandidate {
  std::string name;  // Lease name
  int shard = 0;     // shard index it stands for
};

struct ElectionOptions {
  std::string ns;                          // namespace of the Leases
  std::vector<LeaseCandidate> candidates;  // tried in this order
  std::string identity;                    // this replica (hostname_random)
  int shard_count = 1;
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
};

class LeaderElector {
 public:
  LeaderElector(const Client& client, ElectionOptions options);
  ~LeaderElector();
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  // Runs step() every retry period on a background thread until stop().
  void start();
  // Stops the thread and releases the held Lease (when `release`).
  void stop(bool release = true);

  // One round: renew the held Lease, or try to take a free candidate. Thread-safe.
  void step();

  // The shard whose Lease is held, or -1.
  int held_shard() const { return held_shard_.load(); }
  bool lost() const { return lost_.load(); }
  std::string mismatch() const;  // "" unless a Lease names another shard count
  const std::string& identity() const { return options_.identity; }

 private:
  bool try_take(const LeaseCandidate& c);
  bool renew(const LeaseCandidate& c);
  void release(const LeaseCandidate& c);

  const Client& client_;
  ElectionOptions options_;
  std::atomic<int> held_{-1};  // index into candidates
  std::atomic<int> held_shard_{-1};
  std::atomic<bool> lost_{false};
  std::chrono::steady_clock::time_point last_renew_;
  mutable std::mutex mu_;  // step() and the fields below
  std::string mismatch_;
  std::mutex wake_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// A replica identity: `<hostname>_<16 random hex digits>`.
std::string make_identity();

}  // namespace iu::kube
