#include "registry/metadata_store.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "log/log.hpp"
#include "registry/cache_metrics.hpp"
#include "registry/metadata_codec.hpp"
#include "registry/sqlite.hpp"

namespace iu::registry {
namespace {

// Row kinds of the metadata table.
constexpr int64_t kManifest = 1;
constexpr int64_t kConfig = 2;

constexpr const char* kSchema = R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE metadata (
  kind INTEGER NOT NULL, digest TEXT NOT NULL, body TEXT NOT NULL, last_used INTEGER NOT NULL,
  PRIMARY KEY (kind, digest)) WITHOUT ROWID;
CREATE INDEX metadata_lru ON metadata (last_used);
CREATE TABLE tag_digest (
  endpoint TEXT NOT NULL, repository TEXT NOT NULL, tag TEXT NOT NULL, identity TEXT NOT NULL,
  digest TEXT NOT NULL, checked_at INTEGER NOT NULL, last_used INTEGER NOT NULL,
  PRIMARY KEY (endpoint, repository, tag, identity)) WITHOUT ROWID;
CREATE INDEX tag_digest_lru ON tag_digest (last_used);
)sql";

// A cache file we will not use as it is (wrong version, foreign tables, failed check).
class Unusable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace

struct MetadataStore::Impl {
  Options options;
  std::filesystem::path file;  // empty while in memory
  mutable std::mutex mu;
  std::unique_ptr<sqlite::Database> db;
  sqlite::Statement get_meta, has_meta, upsert_meta, touch_meta, drop_meta, evict_meta;
  sqlite::Statement get_tag, has_tag, upsert_tag, touch_tag, evict_tag;
  int64_t clock = 0;  // logical LRU clock: larger = used more recently
  std::size_t meta_count = 0, tag_count = 0;

  explicit Impl(Options o) : options(std::move(o)) {}

  void open() {
    if (options.dir.empty()) return open_memory();
    std::error_code ec;
    std::filesystem::create_directories(options.dir, ec);
    if (ec) {
      log::warn("metadata cache directory is not usable; keeping the cache in memory",
                {{"dir", options.dir.string()}, {"error", ec.message()}});
      return open_memory();
    }
    const auto path = options.dir / std::string(kFileName);
    try {
      open_file(path);
      return;
    } catch (const std::exception& e) {
      log::warn("discarding the metadata cache and rebuilding it",
                {{"file", path.string()}, {"reason", e.what()}});
    }
    close();
    remove_files(path);
    try {
      open_file(path);
    } catch (const std::exception& e) {
      log::warn("cannot create the metadata cache; keeping it in memory",
                {{"file", path.string()}, {"error", e.what()}});
      close();
      open_memory();
    }
  }

  static void remove_files(const std::filesystem::path& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(path.string() + suffix, ec);
  }

  void open_memory() {
    file.clear();
    db = std::make_unique<sqlite::Database>(":memory:", true);
    db->exec(kSchema);
    db->exec("INSERT INTO schema_version VALUES (" + std::to_string(kSchemaVersion) + ")");
    prepare();
  }

  void open_file(const std::filesystem::path& path) {
    db = std::make_unique<sqlite::Database>(path.string(), true);
    db->exec("PRAGMA busy_timeout = 5000");
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA synchronous = NORMAL");
    auto tables = db->prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
    tables.step();
    if (tables.integer(0) == 0) {
      sqlite::transaction(*db, [&] {
        db->exec(kSchema);
        db->exec("INSERT INTO schema_version VALUES (" + std::to_string(kSchemaVersion) + ")");
      });
    } else {
      check_schema();
    }
    file = path;
    prepare();
  }

  void check_schema() {
    auto has = db->prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
    has.step();
    if (has.integer(0) == 0) throw Unusable("no schema_version table");
    auto version = db->prepare("SELECT version FROM schema_version");
    if (!version.step()) throw Unusable("empty schema_version table");
    const int64_t v = version.integer(0);
    if (v != kSchemaVersion || version.step())
      throw Unusable("schema version " + std::to_string(v) + ", this build uses " +
                     std::to_string(kSchemaVersion));
    auto check = db->prepare("PRAGMA quick_check");
    if (!check.step() || check.text(0) != "ok") throw Unusable("integrity check failed");
  }

  void prepare() {
    get_meta = db->prepare("SELECT body FROM metadata WHERE kind = ?1 AND digest = ?2");
    has_meta = db->prepare("SELECT 1 FROM metadata WHERE kind = ?1 AND digest = ?2");
    upsert_meta = db->prepare(
        "INSERT INTO metadata (kind, digest, body, last_used) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (kind, digest) DO UPDATE SET body = excluded.body, "
        "last_used = excluded.last_used");
    touch_meta = db->prepare("UPDATE metadata SET last_used = ?3 WHERE kind = ?1 AND digest = ?2");
    drop_meta = db->prepare("DELETE FROM metadata WHERE kind = ?1 AND digest = ?2");
    evict_meta = db->prepare(
        "DELETE FROM metadata WHERE (kind, digest) IN "
        "(SELECT kind, digest FROM metadata ORDER BY last_used LIMIT ?1)");
    get_tag = db->prepare(
        "SELECT digest, checked_at FROM tag_digest WHERE endpoint = ?1 AND repository = ?2 "
        "AND tag = ?3 AND identity = ?4");
    has_tag = db->prepare(
        "SELECT 1 FROM tag_digest WHERE endpoint = ?1 AND repository = ?2 AND tag = ?3 "
        "AND identity = ?4");
    upsert_tag = db->prepare(
        "INSERT INTO tag_digest (endpoint, repository, tag, identity, digest, checked_at, "
        "last_used) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT (endpoint, repository, tag, identity) DO UPDATE SET "
        "digest = excluded.digest, checked_at = excluded.checked_at, "
        "last_used = excluded.last_used");
    touch_tag = db->prepare(
        "UPDATE tag_digest SET last_used = ?5 WHERE endpoint = ?1 AND repository = ?2 "
        "AND tag = ?3 AND identity = ?4");
    evict_tag = db->prepare(
        "DELETE FROM tag_digest WHERE (endpoint, repository, tag, identity) IN "
        "(SELECT endpoint, repository, tag, identity FROM tag_digest "
        "ORDER BY last_used LIMIT ?1)");
    auto q = db->prepare(
        "SELECT (SELECT count(*) FROM metadata), (SELECT count(*) FROM tag_digest), "
        "max((SELECT coalesce(max(last_used), 0) FROM metadata), "
        "(SELECT coalesce(max(last_used), 0) FROM tag_digest))");
    q.step();
    meta_count = static_cast<std::size_t>(q.integer(0));
    tag_count = static_cast<std::size_t>(q.integer(1));
    clock = q.integer(2);
    publish();
  }

  void close() {
    for (auto* s : {&get_meta, &has_meta, &upsert_meta, &touch_meta, &drop_meta, &evict_meta,
                    &get_tag, &has_tag, &upsert_tag, &touch_tag, &evict_tag})
      *s = sqlite::Statement();
    db.reset();
  }

  void publish() const {
    set_cache_entries("metadata", meta_count);
    set_cache_entries("tag_digest", tag_count);
  }

  // Absorbs a failure of one operation (the store never fails its caller): a damaged file is
  // discarded and rebuilt; anything else (e.g. another process holding a long lock) only
  // costs this one lookup or write.
  void absorb(const sqlite::Error& e, std::string_view op) {
    if (!e.damaged()) {
      log::warn("metadata cache operation failed; continuing without it",
                {{"op", std::string(op)}, {"error", e.what()}});
      return;
    }
    const auto path = file;
    log::warn("metadata cache is damaged; discarding it and rebuilding",
              {{"file", path.string()}, {"error", e.what()}});
    close();
    if (!path.empty()) remove_files(path);
    try {
      open();
    } catch (const std::exception& again) {
      log::warn("metadata cache disabled for this process", {{"error", again.what()}});
      db.reset();
    }
  }

  // Evicts least recently used rows until `count` fits the bound; returns the new count.
  std::size_t bound(sqlite::Statement& evict, std::size_t count) {
    if (count <= options.max_entries) return count;
    evict.reset();
    evict.bind(1, static_cast<int64_t>(count - options.max_entries)).step();
    return count - std::min(count, static_cast<std::size_t>(db->changes()));
  }

  // True when the statement (bound to a key) finds a row.
  static bool exists(sqlite::Statement& has) {
    const bool found = has.step();
    has.reset();
    return found;
  }

  std::optional<std::string> get_body(int64_t kind, std::string_view digest) {
    get_meta.reset();
    get_meta.bind(1, kind).bind(2, digest);
    if (!get_meta.step()) return std::nullopt;
    std::string body = get_meta.text(0);
    get_meta.reset();
    touch_meta.reset();
    touch_meta.bind(1, kind).bind(2, digest).bind(3, ++clock).step();
    return body;
  }

  void drop(int64_t kind, std::string_view digest) {
    drop_meta.reset();
    drop_meta.bind(1, kind).bind(2, digest).step();
    meta_count -= std::min<std::size_t>(meta_count, static_cast<std::size_t>(db->changes()));
    log::warn("dropping an undecodable metadata cache entry", {{"digest", std::string(digest)}});
  }

  void put_body(int64_t kind, std::string_view digest, const std::string& body) {
    std::size_t count = meta_count;
    sqlite::transaction(*db, [&] {
      has_meta.reset();
      has_meta.bind(1, kind).bind(2, digest);
      if (!exists(has_meta)) ++count;
      upsert_meta.reset();
      upsert_meta.bind(1, kind).bind(2, digest).bind(3, body).bind(4, ++clock).step();
      count = bound(evict_meta, count);
    });
    meta_count = count;
  }
};

MetadataStore::MetadataStore(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {
  std::lock_guard lock(impl_->mu);
  try {
    impl_->open();
  } catch (const std::exception& e) {
    // Even an in-memory database failed (out of memory): run without a cache.
    log::warn("metadata cache disabled for this process", {{"error", e.what()}});
    impl_->close();
  }
}

MetadataStore::~MetadataStore() {
  std::lock_guard lock(impl_->mu);
  impl_->close();
}

std::optional<plugin_host::ManifestInfo> MetadataStore::manifest(std::string_view digest) {
  std::lock_guard lock(impl_->mu);
  if (!impl_->db) return std::nullopt;
  try {
    auto body = impl_->get_body(kManifest, digest);
    if (!body) return std::nullopt;
    auto m = decode_manifest(digest, *body);
    if (!m) impl_->drop(kManifest, digest);
    return m;
  } catch (const sqlite::Error& e) {
    impl_->absorb(e, "read manifest");
    return std::nullopt;
  }
}

void MetadataStore::put_manifest(const plugin_host::ManifestInfo& manifest) {
  std::lock_guard lock(impl_->mu);
  if (!impl_->db || manifest.digest.empty()) return;
  try {
    impl_->put_body(kManifest, manifest.digest, encode_manifest(manifest));
    impl_->publish();
  } catch (const sqlite::Error& e) {
    impl_->absorb(e, "write manifest");
  }
}

std::optional<plugin_host::ImageConfigInfo> MetadataStore::config(std::string_view digest) {
  std::lock_guard lock(impl_->mu);
  if (!impl_->db) return std::nullopt;
  try {
    auto body = impl_->get_body(kConfig, digest);
    if (!body) return std::nullopt;
    auto c = decode_config(*body);
    if (!c) impl_->drop(kConfig, digest);
    return c;
  } catch (const sqlite::Error& e) {
    impl_->absorb(e, "read config");
    return std::nullopt;
  }
}

void MetadataStore::put_config(std::string_view digest, const plugin_host::ImageConfigInfo& c) {
  std::lock_guard lock(impl_->mu);
  if (!impl_->db || digest.empty()) return;
  try {
    impl_->put_body(kConfig, digest, encode_config(c));
    impl_->publish();
  } catch (const sqlite::Error& e) {
    impl_->absorb(e, "write config");
  }
}

std::optional<TagDigestEntry> MetadataStore::tag_digest(const TagDigestKey& key) {
  std::lock_guard lock(impl_->mu);
  if (!impl_->db) return std::nullopt;
  auto& i = *impl_;
  try {
    i.get_tag.reset();
    i.get_tag.bind(1, key.endpoint).bind(2, key.repository).bind(3, key.tag).bind(4, key.identity);
    if (!i.get_tag.step()) return std::nullopt;
    TagDigestEntry e{i.get_tag.text(0), i.get_tag.integer(1)};
    i.get_tag.reset();
    i.touch_tag.reset();
    i.touch_tag.bind(1, key.endpoint).bind(2, key.repository).bind(3, key.tag);
    i.touch_tag.bind(4, key.identity).bind(5, ++i.clock).step();
    return e;
  } catch (const sqlite::Error& e) {
    i.absorb(e, "read tag digest");
    return std::nullopt;
  }
}

void MetadataStore::put_tag_digest(const TagDigestKey& key, const TagDigestEntry& entry) {
  std::lock_guard lock(impl_->mu);
  if (!impl_->db || entry.digest.empty()) return;
  auto& i = *impl_;
  try {
    std::size_t count = i.tag_count;
    sqlite::transaction(*i.db, [&] {
      i.has_tag.reset();
      i.has_tag.bind(1, key.endpoint).bind(2, key.repository).bind(3, key.tag);
      i.has_tag.bind(4, key.identity);
      if (!Impl::exists(i.has_tag)) ++count;
      i.upsert_tag.reset();
      i.upsert_tag.bind(1, key.endpoint).bind(2, key.repository).bind(3, key.tag);
      i.upsert_tag.bind(4, key.identity).bind(5, entry.digest).bind(6, entry.checked_at_ms);
      i.upsert_tag.bind(7, ++i.clock).step();
      count = i.bound(i.evict_tag, count);
    });
    i.tag_count = count;
    i.publish();
  } catch (const sqlite::Error& e) {
    i.absorb(e, "write tag digest");
  }
}

std::size_t MetadataStore::metadata_entries() const {
  std::lock_guard lock(impl_->mu);
  return impl_->meta_count;
}

std::size_t MetadataStore::tag_digest_entries() const {
  std::lock_guard lock(impl_->mu);
  return impl_->tag_count;
}

std::filesystem::path MetadataStore::file() const {
  std::lock_guard lock(impl_->mu);
  return impl_->file;
}

}  // namespace iu::registry
