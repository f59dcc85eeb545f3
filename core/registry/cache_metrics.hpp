// The cache series of SPEC §13.1, shared by every cache of the registry service:
//   argocd_image_updater_cache_lookups_total{cache, result}   counter, result hit | miss
//   argocd_image_updater_cache_entries{cache}                  gauge
// `cache` is one of tags, tag_digest, metadata (token and credentials belong to other modules,
// which declare the same families; declaring is idempotent).
#pragma once

#include <cstddef>
#include <string_view>

namespace iu::registry {

void record_cache_lookup(std::string_view cache, bool hit);
void set_cache_entries(std::string_view cache, std::size_t entries);

}  // namespace iu::registry
