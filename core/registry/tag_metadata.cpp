#include "registry/tag_metadata.hpp"

#include <functional>

#include "registry/cache_metrics.hpp"
#include "registry/rfc3339.hpp"

namespace iu::registry {
namespace {

int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// FNV-1a over the key fields and the check time: stable across runs and platforms (unlike
// std::hash), so a persisted entry keeps its expiry after a restart.
uint64_t fnv1a(std::initializer_list<std::string_view> parts, int64_t salt) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  for (auto part : parts) {
    for (char c : part) mix(static_cast<unsigned char>(c));
    mix(0);
  }
  for (int i = 0; i < 8; ++i)
    mix(static_cast<unsigned char>(static_cast<uint64_t>(salt) >> (8 * i)));
  return h;
}

}  // namespace

int64_t tag_digest_expiry_ms(const TagDigestKey& key, int64_t checked_at_ms,
                             std::chrono::milliseconds ttl) {
  const uint64_t h = fnv1a({key.endpoint, key.repository, key.tag, key.identity}, checked_at_ms);
  // j in [-0.1, +0.1] with 1/10000 resolution.
  const double j = (static_cast<double>(h % 20001) - 10000.0) / 100000.0;
  return checked_at_ms + static_cast<int64_t>(static_cast<double>(ttl.count()) * (1.0 + j));
}

TagMetadata::TagMetadata(MetadataStore& store, RepositoryClient& client, TagDigestPolicy policy,
                         std::vector<model::Platform> platforms)
    : store_(store), client_(client), policy_(std::move(policy)), platforms_(std::move(platforms)) {
  if (!policy_.now_ms) policy_.now_ms = &system_now_ms;
}

TagDigestKey TagMetadata::key(std::string_view tag) {
  return TagDigestKey{client_.endpoint(), client_.repository(), std::string(tag),
                      client_.identity()};
}

plugin_host::ManifestInfo TagMetadata::manifest_by_digest(std::string_view digest) {
  if (auto m = store_.manifest(digest)) {
    record_cache_lookup("metadata", true);
    return *m;
  }
  record_cache_lookup("metadata", false);
  auto m = client_.manifest(digest);
  // The key is the digest we asked for; the plugin verified the content against it.
  m.digest = std::string(digest);
  store_.put_manifest(m);
  return m;
}

plugin_host::ImageConfigInfo TagMetadata::config(std::string_view digest) {
  if (auto c = store_.config(digest)) {
    record_cache_lookup("metadata", true);
    return *c;
  }
  record_cache_lookup("metadata", false);
  auto c = client_.image_config(digest);
  store_.put_config(digest, c);
  return c;
}

std::string TagMetadata::fresh_digest(std::string_view tag) {
  const auto k = key(tag);
  auto head = client_.manifest(tag, IU_MANIFEST_HEAD_ONLY);
  if (head.digest.empty()) {
    // A registry that gives no digest on HEAD: the full manifest carries a computed one.
    head = client_.manifest(tag);
    store_.put_manifest(head);
  }
  store_.put_tag_digest(k, TagDigestEntry{head.digest, now()});
  return head.digest;
}

plugin_host::ManifestInfo TagMetadata::tag_manifest(std::string_view tag, bool fresh,
                                                    bool* confirmed) {
  const auto k = key(tag);
  const auto cached = store_.tag_digest(k);
  if (cached && !fresh && now() < tag_digest_expiry_ms(k, cached->checked_at_ms, policy_.ttl)) {
    record_cache_lookup("tag_digest", true);
    if (confirmed != nullptr) *confirmed = false;
    return manifest_by_digest(cached->digest);
  }
  record_cache_lookup("tag_digest", false);
  if (confirmed != nullptr) *confirmed = true;
  // Known tag whose manifest we hold: a HEAD is enough when the digest did not move.
  if (cached && store_.manifest(cached->digest)) return manifest_by_digest(fresh_digest(tag));
  auto m = client_.manifest(tag);
  store_.put_manifest(m);
  store_.put_tag_digest(k, TagDigestEntry{m.digest, now()});
  return m;
}

bool TagMetadata::platform_ok(const plugin_host::PlatformInfo& p) const {
  return model::any_platform_matches(platforms_, model::Platform{p.os, p.architecture, p.variant});
}

bool TagMetadata::matches_platform(const plugin_host::ManifestInfo& m) {
  if (m.is_index) {
    for (const auto& child : m.children)
      if (platform_ok(child.platform)) return true;
    return false;
  }
  return platform_ok(config(m.config_digest).platform);
}

BuildInfo TagMetadata::build_info(std::string_view tag, bool fresh) {
  BuildInfo info;
  const auto m = tag_manifest(tag, fresh, &info.confirmed);
  info.digest = m.digest;
  auto consider = [&](const plugin_host::ImageConfigInfo& c) {
    int64_t created = 0;
    if (!c.created.empty()) {
      auto t = parse_rfc3339_ms(c.created);
      if (!t)
        throw UnparsableCreated("tag \"" + std::string(tag) + "\": config created \"" + c.created +
                                "\" is not an RFC 3339 time");
      created = *t;
    }
    if (!info.platform_match || created > info.created_ms) {
      info.created_ms = created;
      info.labels = c.labels;
    }
    info.platform_match = true;
  };
  if (!m.is_index) {
    const auto c = config(m.config_digest);
    if (platform_ok(c.platform)) consider(c);
    return info;
  }
  for (const auto& child : m.children) {
    if (!platform_ok(child.platform)) continue;
    const auto cm = manifest_by_digest(child.digest);
    // A nested index has no config of its own; only image manifests carry a build time.
    if (cm.is_index || cm.config_digest.empty()) continue;
    consider(config(cm.config_digest));
  }
  return info;
}

}  // namespace iu::registry
