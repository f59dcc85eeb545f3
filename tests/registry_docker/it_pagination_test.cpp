// Integration: more than 1000 tags through faults.py --paginate-tags, which adds the `n`/`last`
// pagination and Link headers distribution 2.8 lacks. The plugin's listing must equal skopeo's
// (which follows the same links) and take exactly the expected number of pages.
#include <chrono>
#include <memory>
#include <set>

#include "fixture_servers.hpp"
#include "it_support.hpp"
#include "plugin_under_test.hpp"
#include "test_transport.hpp"

namespace iu::test {
namespace {

constexpr int kTags = 1100;
constexpr const char* kTagsPath = "GET /v2/org/big/tags/list";

class PaginationIT : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      dir_ = std::make_unique<TempDir>();
      // tmpfs storage written directly by populate.py: about 3x faster than over HTTP.
      std::filesystem::path storage = "/dev/shm/" + dir_->path().filename().string();
      server_ = std::make_unique<RegistryServer>(dir_->path() / "registry",
                                                 std::vector<std::string>{}, storage);
      populate("",
               {"--direct-fs", server_->env("REGISTRY_STORAGE"), "--repo", "org/big",
                "--tag-pattern", "1.0.{i}", "--tag-count", std::to_string(kTags)},
               dir_->path(), false);
      proxy_ = std::make_unique<FaultProxy>(dir_->path(), server_->url(),
                                            std::vector<std::string>{"--paginate-tags", "100"});
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    proxy_.reset();
    server_.reset();
    dir_.reset();
  }

  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    services_ = install_recording_services();
    services_->transport().configure(proxy_->host(), "", false);
  }

  static int64_t pages_so_far() {
    return json_int(parse_json(proxy_->stats()), {"by_method_path", kTagsPath});
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<RegistryServer> server_;
  static inline std::unique_ptr<FaultProxy> proxy_;
  static inline std::string setup_error_;
  std::shared_ptr<RecordingServices> services_;
};

// One test for both page sizes: the 1100-tag fixture is the expensive part, and ctest starts
// every test case in its own process.
TEST_F(PaginationIT, ListingsAcrossPagesEqualSkopeo) {
  auto sk = parse_json(
      skopeo({"list-tags", "--tls-verify=false", "docker://" + proxy_->host() + "/org/big"}));
  std::vector<std::string> expected;
  for (const auto& t : sk["Tags"].GetArray()) expected.emplace_back(t.GetString());
  ASSERT_EQ(expected.size(), static_cast<size_t>(kTags));

  // tags_page_size 0: the proxy's pages of 100, 11 of them.
  auto by_registry =
      make_registry(proxy_->url(), proxy_->host(), proxy_->host(), {{"tags_page_size", "0"}});
  int64_t before = pages_so_far();
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(tag_names(by_registry->list_tags("org/big", {})), expected);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(pages_so_far() - before, (kTags + 99) / 100);
  EXPECT_EQ(services_->count("tags"), static_cast<size_t>((kTags + 99) / 100));
  RecordProperty(
      "list_ms_pages_of_100",
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));

  // The default n=1000: two pages.
  auto by_default = make_registry(proxy_->url(), proxy_->host(), proxy_->host());
  before = pages_so_far();
  EXPECT_EQ(tag_names(by_default->list_tags("org/big", {})), expected);
  EXPECT_EQ(pages_so_far() - before, 2);

  // The same set as the registry's own unpaginated answer (which is in directory order).
  services_->transport().configure(server_->host(), "", false);
  auto direct = make_registry(server_->url(), server_->host(), server_->host());
  auto all = tag_names(direct->list_tags("org/big", {}));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()),
            std::set<std::string>(expected.begin(), expected.end()));
}

}  // namespace
}  // namespace iu::test
