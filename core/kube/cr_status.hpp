// The ImageUpdater status of SPEC §4.1 as a merge patch for the `/status` subresource.
//
// Contract: the patch sets observedGeneration, lastCheckedAt, applicationsMatched,
// imagesManaged, recentUpdates (this pass only; [] when nothing was updated), lastUpdatedAt only
// when at least one image was updated (otherwise the stored value stays), and the three
// conditions Ready / Reconciling / Error. A condition keeps its stored lastTransitionTime while
// its status does not change. Condition messages list up to 5 errors, then `(+N more)`.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace iu::kube {

struct RecentUpdate {
  std::string alias, image, old_version, new_version;
  int applications_updated = 0;
};

struct UpdaterPassFacts {
  std::int64_t generation = 0;
  int applications_matched = 0;
  int images_managed = 0;
  bool cr_failed = false;           // CR-level errors: nothing was processed
  std::vector<std::string> errors;  // SPEC §14 texts, in order
  std::vector<RecentUpdate> updates;
};

// The merge patch `{"status": {...}}` after a pass. `previous_status` is the stored status as
// JSON text ("" when none), for lastTransitionTime.
std::string status_patch(const UpdaterPassFacts& facts, const std::string& previous_status,
                         std::chrono::system_clock::time_point now);

// The merge patch marking a pass as running: Reconciling True, the other conditions kept.
std::string reconciling_patch(const std::string& previous_status,
                              std::chrono::system_clock::time_point now);

// "a; b; c; d; e (+2 more)".
std::string summarize_errors(const std::vector<std::string>& errors);

}  // namespace iu::kube
