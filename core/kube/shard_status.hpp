// ImageUpdater status under sharding (SPEC §11.2): each shard records the summary of its last
// pass in the CR annotation `argocd-image-updater.argoproj.io/shard-status.<index>` (compact
// JSON: pass time, errors, recent updates) and recomputes `status` from every shard annotation
// newer than 3 x interval, so the shards never overwrite each other's results.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "kube/cr_status.hpp"

namespace iu::kube {

inline constexpr std::string_view kShardStatusPrefix =
    "argocd-image-updater.argoproj.io/shard-status.";

// The annotation value for one shard's pass: {"time","crFailed","errors"[≤ 20],"errorCount",
// "recentUpdates":[{alias,image,oldVersion,newVersion,applicationsUpdated}]}.
std::string shard_summary(const UpdaterPassFacts& facts, std::chrono::system_clock::time_point now);

// The merge patch setting this shard's annotation on the CR.
std::string shard_annotation_patch(int shard, const std::string& summary);

// Combines the shard annotations of `cr_json` (the CR as read back) that are younger than
// `max_age` (0 = any age) into facts; generation and counts are taken from `base` (counted
// over the whole match set). Unreadable annotations are ignored.
UpdaterPassFacts combine_shards(const std::string& cr_json, const UpdaterPassFacts& base,
                                std::chrono::milliseconds max_age,
                                std::chrono::system_clock::time_point now);

}  // namespace iu::kube
