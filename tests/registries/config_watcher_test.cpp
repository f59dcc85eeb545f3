#include "registries/config_watcher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "metrics/registry.hpp"
#include "test_helpers.hpp"

namespace iu::registries {
namespace {

using namespace std::chrono_literals;

const char* kV1 = "registries:\n- name: v1\n  api_url: https://ghcr.io\n  prefix: ghcr.io\n";
const char* kV2 =
    "registries:\n- name: v2\n  api_url: https://ghcr.io\n  prefix: ghcr.io\n  limit: 5\n";
const char* kInvalid = "registries:\n- name: v3\n  api_url: https://ghcr.io\n  limits: 5\n";

double reloads(const char* result) {
  return metrics::Registry::global()
      .value("argocd_image_updater_config_reloads_total", {result})
      .value_or(0);
}

class ConfigWatcherTest : public ::testing::Test {
 protected:
  test::TempDir dir;
  WatcherOptions options() {
    WatcherOptions o;
    o.path = dir.path() / "registries.conf";
    o.table.tls_dir.clear();
    return o;
  }
};

TEST_F(ConfigWatcherTest, MissingFileMeansBuiltinsOnly) {
  ConfigWatcher w(options());
  EXPECT_EQ(w.table()->endpoints().size(), 1u);
  EXPECT_EQ(w.lookup("", "nginx")->origin, Origin::kBuiltin);
  EXPECT_EQ(w.check_now(), ConfigWatcher::Check::kUnchanged);
}

TEST_F(ConfigWatcherTest, InvalidAtStartupThrows) {
  dir.write("registries.conf", kInvalid);
  try {
    ConfigWatcher w(options());
    ADD_FAILURE() << "accepted an invalid file";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "registries.conf: registries[0]: unknown key \"limits\" (line 4)");
  }
}

TEST_F(ConfigWatcherTest, ValidChangeSwapsInvalidChangeKeepsThePrevious) {
  dir.write("registries.conf", kV1);
  std::vector<std::string> swapped;
  auto o = options();
  o.on_reload = [&](const std::shared_ptr<EndpointTable>& t) {
    swapped.push_back(t->lookup("ghcr.io", "x")->name);
  };
  ConfigWatcher w(o);
  auto old_table = w.table();
  auto old_endpoint = w.lookup("ghcr.io", "x");
  EXPECT_EQ(old_endpoint->name, "v1");
  auto quay = w.lookup("quay.io", "x");  // inferred before the reload

  const double ok = reloads("success"), bad = reloads("error");
  dir.write("registries.conf", kV2);
  EXPECT_EQ(w.check_now(), ConfigWatcher::Check::kReloaded);
  EXPECT_EQ(w.lookup("ghcr.io", "x")->name, "v2");
  EXPECT_DOUBLE_EQ(w.lookup("ghcr.io", "x")->limit, 5);
  EXPECT_EQ(w.lookup("quay.io", "y"), quay);
  // Holders of the old snapshot keep a consistent view.
  EXPECT_EQ(old_table->lookup("ghcr.io", "x"), old_endpoint);
  EXPECT_EQ(swapped, std::vector<std::string>{"v2"});
  EXPECT_EQ(reloads("success"), ok + 1);
  EXPECT_EQ(w.last_error(), "");

  dir.write("registries.conf", kInvalid);
  EXPECT_EQ(w.check_now(), ConfigWatcher::Check::kRejected);
  EXPECT_EQ(w.lookup("ghcr.io", "x")->name, "v2");
  EXPECT_EQ(w.last_error(), "registries.conf: registries[0]: unknown key \"limits\" (line 4)");
  EXPECT_EQ(reloads("error"), bad + 1);
  // The same bad content is reported once, not at every check.
  EXPECT_EQ(w.check_now(), ConfigWatcher::Check::kUnchanged);
  EXPECT_EQ(reloads("error"), bad + 1);

  dir.write("registries.conf", kV1);
  EXPECT_EQ(w.check_now(), ConfigWatcher::Check::kReloaded);
  EXPECT_EQ(w.lookup("ghcr.io", "x")->name, "v1");
  EXPECT_EQ(w.last_error(), "");

  std::filesystem::remove(dir.path() / "registries.conf");
  EXPECT_EQ(w.check_now(), ConfigWatcher::Check::kReloaded);
  EXPECT_EQ(w.lookup("ghcr.io", "x")->origin, Origin::kInferred);
}

TEST_F(ConfigWatcherTest, UnreadableFileIsRejectedOnce) {
  dir.write("registries.conf", kV1);
  ConfigWatcher w(options());
  std::filesystem::remove(dir.path() / "registries.conf");
  std::filesystem::create_directory(dir.path() / "registries.conf");
  EXPECT_EQ(w.check_now(), ConfigWatcher::Check::kRejected);
  EXPECT_NE(w.last_error().find("Is a directory"), std::string::npos);
  EXPECT_EQ(w.check_now(), ConfigWatcher::Check::kUnchanged);
  EXPECT_EQ(w.lookup("ghcr.io", "x")->name, "v1");
}

TEST_F(ConfigWatcherTest, BackgroundThreadPicksUpChangesAndStopsPromptly) {
  dir.write("registries.conf", kV1);
  auto o = options();
  o.interval = 20ms;
  std::atomic<int> swaps{0};
  o.on_reload = [&](const std::shared_ptr<EndpointTable>&) { ++swaps; };
  ConfigWatcher w(o);
  w.start();
  dir.write("registries.conf", kV2);
  for (int i = 0; i < 250 && swaps == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(swaps, 1);
  EXPECT_EQ(w.lookup("ghcr.io", "x")->name, "v2");

  // Lookups from other threads during reloads always see a complete table.
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!done)
      if (auto e = w.lookup("ghcr.io", "x"); e->name != "v1" && e->name != "v2") ++bad;
  });
  for (int i = 0; i < 5; ++i) {
    dir.write("registries.conf", i % 2 == 0 ? kV1 : kV2);
    std::this_thread::sleep_for(40ms);
  }
  done = true;
  reader.join();
  EXPECT_EQ(bad, 0);

  const auto start = std::chrono::steady_clock::now();
  w.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(ConfigWatcherTest, DefaultIntervalIsThirtySeconds) {
  EXPECT_EQ(WatcherOptions{}.interval, 30s);
  EXPECT_EQ(TableOptions{}.tls_dir, "/app/config/tls");
}

}  // namespace
}  // namespace iu::registries
