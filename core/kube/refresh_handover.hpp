// The hand-over of webhook events between shards (SPEC §12.4), through Kubernetes itself, the
// way Argo CD's own `argocd.argoproj.io/refresh` annotation works. Every replica serving the
// webhook endpoint checks the part of an event that belongs to the shard it holds; the rest is
// handed over here.
//
// Sender (hand_over): a worker lists the fleet (every shard's applications), asks `affected`
// which applications a webhook-scoped pass over the event's image would check, and adds
// `<registry/repository>@<time>` (kube/refresh_annotation.hpp) to the refresh annotation of
// each one whose shard this replica does not hold (all of them while it holds none). The write
// is a JSON merge patch carrying the resourceVersion it read: a 409 means someone wrote in
// between, so the object is read again and merged again. One info line per application;
// argocd_image_updater_webhook_events_total{type,result="handed_over"} counts each event
// handed over to at least one application. In dry run nothing is written, only logged.
//
// Owner (watch, done): once this replica holds a shard, Applications are listed and watched;
// every entry it has not seen yet on an application of its shard goes to `on_request` — also at
// the initial listing, so a hand-over made while no replica held the shard, however old, is
// checked once. The caller checks those images like a local webhook event, then calls done(),
// which removes exactly the entries checked: compare-and-remove, a merge patch guarded by
// resourceVersion (409: read again; an entry added or renewed meanwhile stays, and is a new
// request). A replica never writes the annotation on applications of its own shard, so it never
// sees its own hand-overs. Application events without new entries (write-backs, Argo CD's
// status updates, the removal itself) are ignored, and nothing here touches an ImageUpdater: a
// hand-over never starts a spec-change pass.
//
// Threads: one worker (hand-overs and removals, in order) and one watcher per watched
// namespace (or one cluster-wide). The destructor stops and joins them; work still queued is
// dropped, which is safe: an entry not removed is checked again by the shard's next owner.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "config/snapshot.hpp"
#include "engine/pass_scope.hpp"
#include "kube/client.hpp"
#include "kube/kube_source.hpp"
#include "kube/refresh_annotation.hpp"

namespace iu::kube {

class RefreshHandover {
 public:
  // For each target (same order), the applications of `snapshot` a webhook-scoped pass over it
  // would check (Engine::affected).
  using Affected = std::function<std::vector<std::vector<config::ObjectRef>>(
      const config::Snapshot& snapshot, const std::vector<engine::ImageTarget>& targets)>;

  struct Options {
    SourceOptions source;  // how to list the fleet: kind, namespaces, label selector
    int shard_count = 1;
    std::function<int()> held_shard;  // the shard this replica holds now; -1 = none
    bool dry_run = false;
    Affected affected;
  };

  // What the owner is asked to check: the new entries of one application's annotation.
  struct Request {
    std::string ns, name;
    std::vector<RefreshEntry> entries;
    // One target per entry, as a local webhook event for that repository would give.
    std::vector<engine::ImageTarget> targets() const;
  };

  RefreshHandover(const Client& client, Options options);
  ~RefreshHandover();
  RefreshHandover(const RefreshHandover&) = delete;
  RefreshHandover& operator=(const RefreshHandover&) = delete;

  // Queues a webhook trigger (target.webhook_type names its type for the metric). Never
  // blocks on the API: safe from the webhook server's threads.
  void hand_over(engine::ImageTarget target);

  // Starts watching for requests (call at most once). `on_request` runs on a watcher thread
  // and must only enqueue.
  void watch(std::function<void(Request)> on_request);

  // The request's images were checked (or handed to the workers that check them): removes its
  // entries from the annotation, asynchronously.
  void done(Request request);

 private:
  void run_worker();
  void send(const std::vector<engine::ImageTarget>& targets);
  bool annotate(const config::ObjectRef& app, std::string value, std::string resource_version,
                const RefreshEntry& entry);
  void remove(const Request& request);
  void watch_namespace(const std::string& ns);
  void observe(std::string_view type, const std::string& object);

  const Client& client_;
  Options options_;
  std::function<void(Request)> on_request_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<engine::ImageTarget> to_send_;  // under mu_
  std::vector<Request> to_remove_;            // under mu_
  // Owner: per application ("ns/name"), the entry texts already requested (and not yet seen
  // gone from the annotation). Under mu_.
  std::map<std::string, std::set<std::string>> requested_;
  bool stop_ = false;  // under mu_
  std::atomic<bool> stopping_{false};
  std::thread worker_;
  std::vector<std::thread> watchers_;
};

}  // namespace iu::kube
