// The persistent metadata store: round trips, persistence across restarts, the LRU bound, and
// recovery from missing, corrupt, foreign or version-mismatched files and from a crash mid-write.
#include "registry/metadata_store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "fake_registry.hpp"

namespace iu::registry {
namespace {

using test::TempDir;

plugin_host::ManifestInfo sample_index(const std::string& digest) {
  plugin_host::ManifestInfo m;
  m.digest = digest;
  m.media_type = "application/vnd.oci.image.index.v1+json";
  m.is_index = true;
  m.children.push_back(
      {"sha256:a", "application/vnd.oci.image.manifest.v1+json", {"linux", "amd64", ""}});
  m.children.push_back(
      {"sha256:b", "application/vnd.oci.image.manifest.v1+json", {"linux", "arm64", "v8"}});
  return m;
}

plugin_host::ImageConfigInfo sample_config() {
  return plugin_host::ImageConfigInfo{
      "2024-05-01T10:00:00Z",
      {"linux", "arm", "v7"},
      {{"org.opencontainers.image.version", "1.2.3"}, {"k", "v\"q"}}};
}

std::filesystem::path db_file(const TempDir& dir) {
  return dir.path() / std::string(MetadataStore::kFileName);
}

// Runs one SQL statement on the file behind the store's back.
void raw_sql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err != nullptr ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

TEST(MetadataStore, RoundTripsManifestsConfigsAndTagDigests) {
  MetadataStore store({});
  EXPECT_TRUE(store.file().empty());
  EXPECT_FALSE(store.manifest("sha256:x"));
  store.put_manifest(sample_index("sha256:x"));
  auto m = store.manifest("sha256:x");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->digest, "sha256:x");
  EXPECT_TRUE(m->is_index);
  ASSERT_EQ(m->children.size(), 2u);
  EXPECT_EQ(m->children[1].platform.variant, "v8");

  store.put_config("sha256:c", sample_config());
  auto c = store.config("sha256:c");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->created, "2024-05-01T10:00:00Z");
  EXPECT_EQ(c->platform.architecture, "arm");
  EXPECT_EQ(c->labels, sample_config().labels);
  // Manifests and configs are separate namespaces.
  EXPECT_FALSE(store.config("sha256:x"));

  TagDigestKey key{"ghcr.io", "acme/api", "1.0", "secret:ns/x#creds"};
  EXPECT_FALSE(store.tag_digest(key));
  store.put_tag_digest(key, {"sha256:x", 1000});
  store.put_tag_digest(key, {"sha256:y", 2000});
  auto t = store.tag_digest(key);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->digest, "sha256:y");
  EXPECT_EQ(t->checked_at_ms, 2000);
  key.identity = "";
  EXPECT_FALSE(store.tag_digest(key)) << "credential identity is part of the key";
  EXPECT_EQ(store.metadata_entries(), 2u);
  EXPECT_EQ(store.tag_digest_entries(), 1u);
}

TEST(MetadataStore, SurvivesARestart) {
  TempDir dir;
  {
    MetadataStore store({dir.path(), 100});
    EXPECT_EQ(store.file(), db_file(dir));
    store.put_manifest(sample_index("sha256:x"));
    store.put_config("sha256:c", sample_config());
    store.put_tag_digest({"e", "r", "t", ""}, {"sha256:x", 42});
  }
  MetadataStore again({dir.path(), 100});
  EXPECT_EQ(again.metadata_entries(), 2u);
  EXPECT_EQ(again.tag_digest_entries(), 1u);
  ASSERT_TRUE(again.manifest("sha256:x"));
  ASSERT_TRUE(again.config("sha256:c"));
  ASSERT_TRUE(again.tag_digest({"e", "r", "t", ""}));
}

TEST(MetadataStore, EvictsTheLeastRecentlyUsedBeyondTheBound) {
  TempDir dir;
  MetadataStore store({dir.path(), 3});
  for (const char* d : {"sha256:1", "sha256:2", "sha256:3"}) store.put_manifest(sample_index(d));
  ASSERT_TRUE(store.manifest("sha256:1"));  // now the most recently used
  store.put_manifest(sample_index("sha256:4"));
  EXPECT_EQ(store.metadata_entries(), 3u);
  EXPECT_TRUE(store.manifest("sha256:1"));
  EXPECT_FALSE(store.manifest("sha256:2")) << "least recently used goes first";
  EXPECT_TRUE(store.manifest("sha256:3"));
  EXPECT_TRUE(store.manifest("sha256:4"));
  for (int i = 0; i < 10; ++i)
    store.put_tag_digest({"e", "r", std::to_string(i), ""}, {"sha256:1", i});
  EXPECT_EQ(store.tag_digest_entries(), 3u);
  EXPECT_TRUE(store.tag_digest({"e", "r", "9", ""}));
  EXPECT_FALSE(store.tag_digest({"e", "r", "0", ""}));
}

TEST(MetadataStore, DiscardsACorruptFileAndRebuilds) {
  TempDir dir;
  {
    std::ofstream out(db_file(dir), std::ios::binary);
    out << std::string(8192, '\x5a');
  }
  testing::internal::CaptureStderr();
  MetadataStore store({dir.path(), 100});
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("discarding the metadata cache"), std::string::npos) << log;
  EXPECT_NE(log.find("level=warning"), std::string::npos) << log;
  EXPECT_EQ(store.file(), db_file(dir)) << "rebuilt on disk, not degraded to memory";
  EXPECT_EQ(store.metadata_entries(), 0u);
  store.put_manifest(sample_index("sha256:x"));
  EXPECT_TRUE(store.manifest("sha256:x"));
}

TEST(MetadataStore, DiscardsAnotherSchemaVersion) {
  TempDir dir;
  { MetadataStore({dir.path(), 100}).put_manifest(sample_index("sha256:x")); }
  raw_sql(db_file(dir), "UPDATE schema_version SET version = 999");
  MetadataStore store({dir.path(), 100});
  EXPECT_EQ(store.metadata_entries(), 0u);
  EXPECT_FALSE(store.manifest("sha256:x"));
}

TEST(MetadataStore, DiscardsAForeignDatabase) {
  TempDir dir;
  raw_sql(db_file(dir), "CREATE TABLE something_else (x INTEGER)");
  MetadataStore store({dir.path(), 100});
  store.put_manifest(sample_index("sha256:x"));
  EXPECT_TRUE(store.manifest("sha256:x"));
}

TEST(MetadataStore, AnUndecodableRowIsAMissAndIsDropped) {
  TempDir dir;
  { MetadataStore({dir.path(), 100}).put_manifest(sample_index("sha256:x")); }
  raw_sql(db_file(dir), "UPDATE metadata SET body = '{\"mediaType\": 3}'");
  MetadataStore store({dir.path(), 100});
  EXPECT_FALSE(store.manifest("sha256:x"));
  EXPECT_EQ(store.metadata_entries(), 0u);
}

TEST(MetadataStore, AnUnusableDirectoryFallsBackToMemory) {
  TempDir dir;
  { std::ofstream(dir.path() / "file") << "x"; }
  MetadataStore store({dir.path() / "file" / "sub", 100});
  EXPECT_TRUE(store.file().empty());
  store.put_manifest(sample_index("sha256:x"));
  EXPECT_TRUE(store.manifest("sha256:x"));
}

TEST(MetadataStore, ZeroEntriesKeepsNothing) {
  MetadataStore store({{}, 0});
  store.put_manifest(sample_index("sha256:x"));
  EXPECT_FALSE(store.manifest("sha256:x"));
  EXPECT_EQ(store.metadata_entries(), 0u);
}

// A writer killed with SIGKILL in the middle of its writes never damages what was committed.
TEST(MetadataStore, ACrashMidWriteKeepsEarlierEntries) {
  TempDir dir;
  {
    MetadataStore store({dir.path(), 1000000});
    for (int i = 0; i < 50; ++i)
      store.put_manifest(sample_index("sha256:early" + std::to_string(i)));
  }
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipefd[0]);
    MetadataStore store({dir.path(), 1000000});
    for (int i = 0; i < 200000; ++i) {
      store.put_manifest(sample_index("sha256:late" + std::to_string(i)));
      if (i == 100) (void)!::write(pipefd[1], "x", 1);  // writes are under way
    }
    ::_exit(0);
  }
  ::close(pipefd[1]);
  char c;
  ASSERT_EQ(::read(pipefd[0], &c, 1), 1);
  ::close(pipefd[0]);
  ::usleep(20000);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer finished before it was killed";

  MetadataStore store({dir.path(), 1000000});
  EXPECT_EQ(store.file(), db_file(dir)) << "the file was not discarded";
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(store.manifest("sha256:early" + std::to_string(i))) << i;
  EXPECT_TRUE(store.manifest("sha256:late100")) << "committed before the signal";
  EXPECT_GT(store.metadata_entries(), 150u);
}

}  // namespace
}  // namespace iu::registry
