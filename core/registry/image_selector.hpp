// The image selection pipeline of SPEC §6, for one image:
//   list tags (tag-list cache, singleflight) -> allowTags -> ignoreTags -> strategy candidates
//   -> metadata, only for the survivors and only what the strategy needs -> rank -> platforms
//   -> the winner, whose digest is always checked fresh.
// The strategy is a plugin; its traits (IU_NEEDS_*, IU_RESULT_*, IU_PLATFORMS_*) decide which
// metadata is fetched and how platforms are checked:
//   IU_NEEDS_CREATED   build time per candidate (§6.5), every candidate platform-checked, a tag
//                      without a matching platform or with an unparsable `created` dropped;
//                      with tagsortmode latest-first / latest-last the listing order gives
//                      synthetic times and nothing is fetched or checked (pushed: push times);
//   IU_NEEDS_DIGEST / IU_NEEDS_PUSHED   the tag's digest / push time per candidate;
//   IU_PLATFORMS_LAZY  only when platforms are set explicitly: the ranking is walked from the
//                      best down, fetching manifests until one matches (§6.3);
//   IU_PLATFORMS_WINNER  the winner must match (the runtime platform when none are set);
//   IU_RESULT_FRESH_DIGEST  the winner's digest is resolved fresh, never from the cache (§6.7).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/platform.hpp"
#include "model/tag_filter.hpp"
#include "plugin_host/kinds.hpp"
#include "registry/metadata_store.hpp"
#include "registry/repository_client.hpp"
#include "registry/tag_list_cache.hpp"
#include "registry/tag_metadata.hpp"

namespace iu::registry {

struct SelectionRequest {
  std::string image;    // for messages and logs, e.g. "ghcr.io/acme/api"
  std::string version;  // version text of imageName: constraint or tracked tag
  const plugin_host::StrategyInstance* strategy = nullptr;
  model::TagFilter filter;
  std::vector<model::Platform> platforms;  // as configured; empty = the runtime platform
  std::string live_tag;                    // deployed tag: its digest is checked fresh
  std::vector<std::string> fresh_tags;     // tags named by a webhook event: checked fresh
  bool bypass_tag_list_cache = false;      // webhook-triggered check
  // Ask the registry for the winner's digest before answering, unless it was confirmed
  // during this check anyway (§7.6 "always fresh for the current winner"). The engine sets it;
  // `test`, which writes nothing, may answer from the cache alone.
  bool confirm_winner = true;
};

struct SelectedTag {
  std::string tag;
  std::string digest;  // FRESH_DIGEST: the fresh digest; else the digest metadata was read for
  int64_t created_ms = IU_TIME_UNKNOWN;
  std::vector<std::pair<std::string, std::string>> labels;  // newest-build: config labels
};

struct Selection {
  std::optional<SelectedTag> winner;
  std::size_t tags_listed = 0;   // in the registry
  std::size_t tags_allowed = 0;  // after allowTags and ignoreTags
  std::size_t candidates = 0;    // handed to the strategy
  std::string reason;            // why there is no winner
};

class ImageSelector {
 public:
  struct Options {
    TagDigestPolicy tag_digest;
    std::size_t metadata_concurrency = 20;
  };

  ImageSelector(MetadataStore& store, TagListCache& tag_lists, Options options);

  // Registry and plugin failures propagate (PluginError, the credential resolver's errors):
  // the caller skips the image for this attempt. "No candidate" is a Selection without winner.
  Selection select(RepositoryClient& client, const SelectionRequest& request);

 private:
  MetadataStore& store_;
  TagListCache& tag_lists_;
  Options options_;
};

}  // namespace iu::registry
