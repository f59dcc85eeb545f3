// What one pass produced, handed to observers at its end (the Kubernetes side writes the
// `ImagesUpdated` events and the ImageUpdater status from it, SPEC §13.4). Every reference is
// valid only during the observer call.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "config/resolve.hpp"
#include "engine/app_processor.hpp"
#include "engine/write_queue.hpp"

namespace iu::engine {

struct PassSummary;

struct PassRecord {
  const config::Snapshot& snapshot;
  const std::vector<config::ManagedApplication>& managed;  // every managed application
  const std::vector<size_t>& order;                // outcomes[k] belongs to managed[order[k]]
  const std::vector<AppOutcome>& outcomes;         // the applications processed this pass
  const std::vector<WriteOutcome>& writes;         // one per handed-over write intent
  const std::vector<config::ConfigIssue>& issues;  // configuration problems of the pass
  const PassSummary& summary;
  bool dry_run = false;
  bool partial = false;  // a webhook-triggered pass over part of the fleet
};

// Sources other than `dir` (the Kubernetes API): the snapshot of a pass. Throws when the
// fleet cannot be read (the pass is abandoned).
using SnapshotLoader = std::function<config::Snapshot()>;
// Called once at the end of every pass; must not throw.
using PassObserver = std::function<void(const PassRecord&)>;

}  // namespace iu::engine
