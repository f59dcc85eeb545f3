// Per-tag metadata for the selection pipeline (SPEC §6.3, §6.5, §7.6), resolved through the
// caches:
//   tag -> digest     persisted; reused while younger than --tag-digest-ttl (±10 % jitter per
//                     entry), revalidated with a HEAD request afterwards, and always asked of
//                     the registry when the caller says `fresh` (winner, deployed tag, webhook);
//   digest -> manifest and config blob     immutable, from the metadata store when present.
// A tag never seen before costs one GET by tag (digest and manifest at once); a stale one costs
// a HEAD, plus a GET by digest only when the digest changed and is not cached yet.
// Thread-safe: several tags of one image are resolved in parallel.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/platform.hpp"
#include "registry/metadata_store.hpp"
#include "registry/repository_client.hpp"

namespace iu::registry {

// A tag whose config `created` is not an RFC 3339 time: the tag is dropped (§6.5).
class UnparsableCreated : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TagDigestPolicy {
  std::chrono::milliseconds ttl = std::chrono::hours(24);
  std::function<int64_t()> now_ms;  // Unix ms; default: the system clock
};

// The revalidation point of an entry: checked_at + ttl × (1 + j), j in [-0.1, +0.1] derived
// from the key and checked_at, so entries written together do not all expire together, and
// the same entry always expires at the same moment.
int64_t tag_digest_expiry_ms(const TagDigestKey& key, int64_t checked_at_ms,
                             std::chrono::milliseconds ttl);

// What newest-build needs to know about one tag.
struct BuildInfo {
  std::string digest;  // the tag's manifest digest (the index's for multi-arch images)
  bool platform_match = false;
  int64_t created_ms = 0;  // newest platform-matching child; a missing `created` is 0 (epoch)
  std::vector<std::pair<std::string, std::string>> labels;  // of that child's config
  bool confirmed = false;  // the digest came from the registry during this call
};

class TagMetadata {
 public:
  // `platforms`: the options a manifest must match (never empty; the caller puts the runtime
  // platform there when none are configured).
  TagMetadata(MetadataStore& store, RepositoryClient& client, TagDigestPolicy policy,
              std::vector<model::Platform> platforms);

  // The manifest the tag points to (see the file comment for what it costs). `confirmed`, when
  // given, tells whether the registry was asked for the tag's digest (fresh or not).
  plugin_host::ManifestInfo tag_manifest(std::string_view tag, bool fresh,
                                         bool* confirmed = nullptr);
  // The digest the registry serves for the tag right now (HEAD), recorded in the cache.
  std::string fresh_digest(std::string_view tag);
  // §6.3: an index matches when a child descriptor matches, a single manifest when its config
  // blob's platform does.
  bool matches_platform(const plugin_host::ManifestInfo& manifest);
  // §6.5. Throws UnparsableCreated naming the tag and the value.
  BuildInfo build_info(std::string_view tag, bool fresh);

 private:
  plugin_host::ManifestInfo manifest_by_digest(std::string_view digest);
  plugin_host::ImageConfigInfo config(std::string_view digest);
  bool platform_ok(const plugin_host::PlatformInfo& p) const;
  TagDigestKey key(std::string_view tag);
  int64_t now() const { return policy_.now_ms(); }

  MetadataStore& store_;
  RepositoryClient& client_;
  TagDigestPolicy policy_;
  std::vector<model::Platform> platforms_;
};

}  // namespace iu::registry
