// Everything `run` needs from Kubernetes for the `crd` and `annotations` sources, in one
// object: the API client, the snapshot loader, Secrets for credential references, the
// end-of-pass observer (events, ImageUpdater status), leader election and sharding, and the
// settings through which the `argocd` write-back plugin reaches the API.
//
// Lifetime: create before the Engine, destroy after it (the engine's hooks point here). The
// destructor stops leader election and releases a held Lease.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "credentials/credential.hpp"
#include "engine/pass_record.hpp"
#include "kube/client.hpp"
#include "kube/events.hpp"
#include "kube/kube_source.hpp"
#include "kube/leader_election.hpp"
#include "kube/refresh_handover.hpp"

namespace iu::kube {

struct SideOptions {
  config::SourceKind kind = config::SourceKind::kCrd;
  std::string kubeconfig;        // --kubeconfig ("" = in-cluster)
  std::string argocd_namespace;  // --argocd-namespace ("" = the context's / pod's namespace)
  std::string watch_namespaces;  // --watch-namespaces
  std::string application_label_selector;  // --match-application-label
  bool events = true;                      // !--disable-kube-events
  bool dry_run = false;
  bool leader_election = true;  // already false for --once
  std::string lease_namespace;  // --leader-election-namespace ("" = argocd namespace)
  std::string lease_id = "c21b75f2.argoproj.io";
  int shard_count = 1;
  std::string shard_index = "auto";       // integer, "ordinal" or "auto"
  ElectionOptions election_timing;        // only the three durations are used
  std::chrono::milliseconds interval{0};  // --interval (shard summaries older than 3x are stale)
};

class KubeSide {
 public:
  // Loads the cluster configuration and prepares everything; starts leader election.
  // Throws std::invalid_argument for bad flag combinations (naming the flag) and
  // std::runtime_error when the cluster configuration cannot be loaded.
  explicit KubeSide(SideOptions options);
  ~KubeSide();

  const std::string& argocd_namespace() const { return argocd_namespace_; }
  std::shared_ptr<credentials::SecretSource> secrets() const { return secrets_; }
  engine::SnapshotLoader loader();
  engine::PassObserver observer();
  // writeback-argocd's configuration keys (kube_server, kube_token_file, kube_ca_file, ...).
  // Inline credentials of a kubeconfig are written to private files (0600 in a 0700
  // directory removed by the destructor): plugin configuration values are never secrets.
  std::map<std::string, std::string> writeback_settings() const { return writeback_settings_; }

  // crd source: watches the ImageUpdaters of the watched namespaces (one thread per namespace,
  // or one cluster-wide) and calls `handler` when one is created or its metadata.generation
  // changes (SPEC §10.1: a spec change triggers a pass at once). Call at most once; the
  // threads end with this object.
  void watch_generations(std::function<void()> handler);

  enum class Gate { run, standby, lost };
  // Whether this replica may run a pass now. Standby waits up to `wait` (for leadership) first.
  Gate gate(std::chrono::milliseconds wait);

  // Why this replica cannot take part (for /readyz): a shard-count mismatch between replicas;
  // "" otherwise.
  std::string not_ready_reason() const { return elector_ ? elector_->mismatch() : std::string(); }

  const Client& client() const { return *client_; }

  // SPEC §12.4: hands the parts of webhook events that belong to shards this replica does not
  // hold over to their owners, and takes over what other replicas hand to it
  // (kube/refresh_handover.hpp). Null when this replica always holds the whole fleet (one
  // shard and no leader election). Destroy it before this object.
  std::unique_ptr<RefreshHandover> start_handover(RefreshHandover::Affected affected);

 private:
  config::Snapshot load();
  void on_pass(const engine::PassRecord& record);
  void write_status(const engine::PassRecord& record);
  void post_events(const engine::PassRecord& record);
  int current_shard() const;
  // exec credential plugins: keeps writeback-argocd's token / certificate files current.
  void sync_plugin_credentials();
  void watch_namespace(const std::string& ns, const std::function<void()>& handler);

  SideOptions options_;
  std::string argocd_namespace_;
  std::unique_ptr<Client> client_;
  std::shared_ptr<credentials::SecretSource> secrets_;
  std::unique_ptr<EventRecorder> events_;
  std::unique_ptr<LeaderElector> elector_;
  std::vector<std::string> namespaces_;
  int fixed_shard_ = 0;
  // Private copies of inline credentials for writeback-argocd; removed with this object, also
  // when the constructor throws.
  struct PrivateDir {
    std::filesystem::path path;
    PrivateDir() = default;
    PrivateDir(const PrivateDir&) = delete;
    PrivateDir& operator=(const PrivateDir&) = delete;
    ~PrivateDir();
  };
  PrivateDir private_dir_;
  std::map<std::string, std::string> writeback_settings_;
  Client::Credentials plugin_credentials_;  // what the private files hold
  std::mutex mu_;
  std::map<std::string, ObjectInfo> objects_;  // of the last load
  // Sharding: applications matched and images managed per CR ("ns/name") over the whole
  // fleet, every shard's applications included (SPEC §11.2).
  std::map<std::string, std::pair<int, int>> fleet_counts_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> watchers_;
};

}  // namespace iu::kube
