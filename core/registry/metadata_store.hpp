// The persistent half of the registry caches (SPEC §7.6): an SQLite database in --cache-dir
// holding
//   * image metadata keyed by content digest: manifests (with their index children) and config
//     blobs (created time, platform, labels). Content-addressed, so entries never go stale;
//   * tag -> digest entries keyed by (endpoint, repository, tag, credential identity), with the
//     time they were last checked against the registry (the caller decides about freshness).
// Each table is an LRU bounded by `max_entries` (least recently used rows are evicted first).
//
// Contract: the store can change what a lookup costs, never what it returns. Every failure is
// absorbed: a missing, corrupt or version-mismatched database is discarded with a warning and
// rebuilt; a row that does not decode reads as a miss and is deleted; a write that fails is
// dropped. Writes are transactions in WAL mode, so a crash (even SIGKILL mid-write) never
// damages entries written before. With an empty `dir` the store lives in memory only.
// Thread-safe; one connection serialised by a mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "plugin_host/kinds.hpp"

namespace iu::registry {

struct TagDigestKey {
  std::string endpoint;    // registry endpoint identity (registries.conf prefix or host)
  std::string repository;  // API repository, e.g. library/nginx
  std::string tag;
  std::string identity;  // credential identity (secret-free), "" for anonymous
};

struct TagDigestEntry {
  std::string digest;
  int64_t checked_at_ms = 0;  // when the registry last confirmed it (Unix ms)
};

class MetadataStore {
 public:
  // Bumped whenever the tables or the body format change; other versions are discarded.
  static constexpr int64_t kSchemaVersion = 1;
  static constexpr std::string_view kFileName = "metadata.sqlite3";

  struct Options {
    std::filesystem::path dir;  // empty: memory only
    std::size_t max_entries = 100000;
  };

  explicit MetadataStore(Options options);
  ~MetadataStore();
  MetadataStore(const MetadataStore&) = delete;
  MetadataStore& operator=(const MetadataStore&) = delete;

  // A manifest by its digest (ManifestInfo::digest is the key); a hit refreshes its LRU age.
  std::optional<plugin_host::ManifestInfo> manifest(std::string_view digest);
  void put_manifest(const plugin_host::ManifestInfo& manifest);

  // A config blob by its digest.
  std::optional<plugin_host::ImageConfigInfo> config(std::string_view digest);
  void put_config(std::string_view digest, const plugin_host::ImageConfigInfo& config);

  std::optional<TagDigestEntry> tag_digest(const TagDigestKey& key);
  void put_tag_digest(const TagDigestKey& key, const TagDigestEntry& entry);

  // Rows held: manifests + configs, and tag -> digest entries.
  std::size_t metadata_entries() const;
  std::size_t tag_digest_entries() const;

  // The database file, or empty when the store is in memory (by choice or after a failure).
  std::filesystem::path file() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iu::registry
