// The hand-over of webhook events between shards (SPEC §12.4) against kube_fake.py: the sender
// annotates exactly the other shards' applications (accumulating, through conflicts), the owner
// is asked once per new entry and removes exactly what it checked.
#include "kube/refresh_handover.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "kube/client.hpp"
#include "kube/kube_side.hpp"
#include "kube/refresh_annotation.hpp"
#include "kube/shard.hpp"
#include "kube_fake_server.hpp"
#include "metrics/registry.hpp"

namespace {

using namespace iu::kube;
using iu::test::KubeFake;
namespace fs = std::filesystem;

const std::string kApps = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications";
constexpr int kApplications = 8;

std::string app(const std::string& name, const std::string& refresh = {}) {
  std::string s =
      "---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: " + name +
      "\n  namespace: argocd\n";
  if (!refresh.empty())
    s += "  annotations: {argocd-image-updater.argoproj.io/refresh: '" + refresh + "'}\n";
  return s + "spec: {project: default, source: {repoURL: 'https://git.example/x', path: .}}\n";
}

std::string name_of(int i) { return "app-" + std::to_string(i); }
int shard(int i) { return shard_of("argocd", name_of(i), 2); }

class RefreshHandoverTest : public testing::Test {
 protected:
  void start(const std::string& extra_state = {}, std::vector<std::string> fake_args = {}) {
    dir_ =
        fs::temp_directory_path() / ("iu-kube-handover-" + std::to_string(getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    std::string state;
    for (int i = 0; i < kApplications; ++i) state += app(name_of(i));
    fake_ = std::make_unique<KubeFake>(dir_, state + extra_state, std::move(fake_args));
    client_ = std::make_unique<Client>(load_kubeconfig(fake_->kubeconfig()));
  }
  void TearDown() override {
    handover_.reset();
    client_.reset();
    fake_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A hand-over for `shard_count` shards holding `held`; every application uses every image.
  void make(int shard_count, std::function<int()> held, bool dry_run = false) {
    RefreshHandover::Options o;
    o.source.kind = iu::config::SourceKind::kCrd;
    o.source.argocd_namespace = "argocd";
    o.source.namespaces = {"argocd"};
    o.shard_count = shard_count;
    o.held_shard = std::move(held);
    o.dry_run = dry_run;
    o.affected = [this](const iu::config::Snapshot& s,
                        const std::vector<iu::engine::ImageTarget>& targets) {
      ++listings_;
      std::vector<std::vector<iu::config::ObjectRef>> out(targets.size());
      for (auto& refs : out)
        for (const auto& a : s.applications) refs.push_back(a.ref);
      return out;
    };
    handover_ = std::make_unique<RefreshHandover>(*client_, std::move(o));
  }

  std::string refresh(const std::string& name) const {
    const std::string body = client_->get(kApps + "/" + name);
    rapidjson::Document d;
    d.Parse(body.data(), body.size());
    const auto& m = d["metadata"];
    if (!m.HasMember("annotations")) return "";
    const auto& a = m["annotations"];
    const std::string key(kRefreshAnnotation);
    return a.HasMember(key.c_str()) ? a[key.c_str()].GetString() : "";
  }
  void set_refresh(const std::string& name, const std::string& value) const {
    client_->merge_patch(
        kApps + "/" + name,
        R"({"metadata":{"annotations":{"argocd-image-updater.argoproj.io/refresh":")" + value +
            R"("}}})");
  }
  // Waits (bounded) until `done` holds.
  static bool eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 100; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done();
  }
  static iu::engine::ImageTarget target(const std::string& repository) {
    iu::engine::ImageTarget t;
    t.registry = "127.0.0.1:5000";
    t.repository = repository;
    t.webhook_type = "registry";
    return t;
  }
  static double handed_over(const std::string& type) {
    return iu::metrics::Registry::global()
        .value("argocd_image_updater_webhook_events_total", {type, "handed_over"})
        .value_or(0);
  }

  fs::path dir_;
  std::unique_ptr<KubeFake> fake_;
  std::unique_ptr<Client> client_;
  std::unique_ptr<RefreshHandover> handover_;
  std::atomic<int> listings_{0};
};

TEST_F(RefreshHandoverTest, SenderAnnotatesOnlyTheOtherShardsAndAccumulates) {
  start();
  make(2, [] { return 0; });
  const double before = handed_over("registry");
  handover_->hand_over(target("org/web"));
  auto annotated = [&](const std::string& want_prefix, int entries) {
    for (int i = 0; i < kApplications; ++i) {
      if (shard(i) != 1) continue;
      const RefreshValue v = parse_refresh(refresh(name_of(i)));
      if (static_cast<int>(v.entries.size()) != entries ||
          refresh(name_of(i)).rfind(want_prefix, 0) != 0)
        return false;
    }
    return true;
  };
  ASSERT_TRUE(eventually([&] { return annotated("127.0.0.1:5000/org/web@", 1); }));
  for (int i = 0; i < kApplications; ++i)
    if (shard(i) == 0) {
      EXPECT_EQ(refresh(name_of(i)), "") << name_of(i) << ": own shard";
    }
  EXPECT_EQ(handed_over("registry") - before, 1);
  // A second repository before the owner looked: both entries are kept.
  handover_->hand_over(target("org/api"));
  ASSERT_TRUE(eventually([&] { return annotated("127.0.0.1:5000/org/web@", 2); }));
  for (int i = 0; i < kApplications; ++i)
    if (shard(i) == 1) {
      const RefreshValue v = parse_refresh(refresh(name_of(i)));
      EXPECT_EQ(v.entries[1].image(), "127.0.0.1:5000/org/api");
      EXPECT_TRUE(v.malformed.empty());
    }
  EXPECT_EQ(handed_over("registry") - before, 2);
}

TEST_F(RefreshHandoverTest, ConflictingWritersLoseNoEntry) {
  // Every guarded write meets a concurrent writer 30% of the time.
  start({}, {"--conflict-rate", "0.3", "--fault-verbs", "patch", "--seed", "5"});
  make(2, [] { return 1; });
  handover_->hand_over(target("org/web"));
  handover_->hand_over(target("org/api"));
  handover_->hand_over(target("org/db"));
  ASSERT_TRUE(eventually([&] {
    for (int i = 0; i < kApplications; ++i)
      if (shard(i) == 0 && parse_refresh(refresh(name_of(i))).entries.size() != 3) return false;
    return true;
  }));
  fake_->test_endpoint("/__faults", R"({"conflict_rate":0})");
  for (int i = 0; i < kApplications; ++i)
    if (shard(i) == 1) {
      EXPECT_EQ(refresh(name_of(i)), "") << name_of(i);
    }
  const std::string requests = fake_->test_endpoint("/__requests");
  EXPECT_NE(requests.find("409"), std::string::npos) << "no conflict was injected: " << requests;
}

TEST_F(RefreshHandoverTest, AStandbyHandsEverythingOverAndDryRunWritesNothing) {
  start();
  make(
      1, [] { return -1; }, /*dry_run=*/true);
  handover_->hand_over(target("org/web"));
  ASSERT_TRUE(eventually([&] { return listings_.load() == 1; }));
  handover_.reset();  // joins the worker: the dry run has finished
  for (int i = 0; i < kApplications; ++i) EXPECT_EQ(refresh(name_of(i)), "") << name_of(i);

  make(1, [] { return -1; });  // one shard, not the leader: the leader owns everything
  handover_->hand_over(target("org/web"));
  EXPECT_TRUE(eventually([&] {
    for (int i = 0; i < kApplications; ++i)
      if (refresh(name_of(i)).empty()) return false;
    return true;
  }));
  handover_.reset();

  // The leader of the only shard hands nothing over, and does not even list.
  listings_ = 0;
  make(1, [] { return 0; });
  handover_->hand_over(target("org/other"));
  handover_.reset();
  EXPECT_EQ(listings_.load(), 0);
  for (int i = 0; i < kApplications; ++i)
    EXPECT_EQ(refresh(name_of(i)).find("org/other"), std::string::npos) << name_of(i);
}

TEST_F(RefreshHandoverTest, OwnerIsAskedOnceAndRemovesExactlyWhatItChecked) {
  // Applications of shard 1 and 0 carrying requests from before this replica started: an old
  // one (checked once like any other), one with only a malformed entry, one on shard 0.
  std::vector<std::string> ours;
  std::string other_app;
  for (int i = 0; i < 40; ++i) {
    const std::string n = "old-" + std::to_string(i);
    if (shard_of("argocd", n, 2) == 1)
      ours.push_back(n);
    else if (other_app.empty())
      other_app = n;
  }
  ASSERT_GE(ours.size(), 2u);
  ASSERT_FALSE(other_app.empty());
  const std::string old_app = ours[0], bad_app = ours[1];
  start(app(old_app, "127.0.0.1:5000/org/old@2020-01-01T00:00:00Z") + app(bad_app, "garbage") +
        app(other_app, "127.0.0.1:5000/org/old@2020-01-01T00:00:00Z"));
  make(2, [] { return 1; });
  std::mutex mu;
  std::vector<RefreshHandover::Request> requests;
  handover_->watch([&](RefreshHandover::Request r) {
    std::lock_guard lock(mu);
    requests.push_back(std::move(r));
  });
  auto count = [&] {
    std::lock_guard lock(mu);
    return requests.size();
  };
  ASSERT_TRUE(eventually([&] { return count() == 1; }));
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(requests[0].name, old_app);
    ASSERT_EQ(requests[0].targets().size(), 1u);
    EXPECT_EQ(requests[0].targets()[0].registry, "127.0.0.1:5000");
    EXPECT_EQ(requests[0].targets()[0].repository, "org/old");
  }
  // The malformed-only annotation is cleaned without a request; shard 0's is not ours.
  EXPECT_TRUE(eventually([&] { return refresh(bad_app).empty(); }));
  EXPECT_EQ(refresh(other_app), "127.0.0.1:5000/org/old@2020-01-01T00:00:00Z");
  handover_->done(requests[0]);
  EXPECT_TRUE(eventually([&] { return refresh(old_app).empty(); }));

  // A hand-over arrives on an application of shard 1; another is added before the first is
  // done: the second request names only the new entry, and done() of the first leaves it.
  int target_app = 0;
  while (shard(target_app) != 1) ++target_app;
  const std::string name = name_of(target_app);
  set_refresh(name, "127.0.0.1:5000/org/web@2026-08-20T10:00:00Z");
  ASSERT_TRUE(eventually([&] { return count() == 2; }));
  set_refresh(name,
              "127.0.0.1:5000/org/web@2026-08-20T10:00:00Z,"
              "127.0.0.1:5000/org/api@2026-08-20T10:00:01Z");
  ASSERT_TRUE(eventually([&] { return count() == 3; }));
  RefreshHandover::Request first, second;
  {
    std::lock_guard lock(mu);
    first = requests[1];
    second = requests[2];
  }
  ASSERT_EQ(first.entries.size(), 1u);
  EXPECT_EQ(first.entries[0].image(), "127.0.0.1:5000/org/web");
  ASSERT_EQ(second.entries.size(), 1u);
  EXPECT_EQ(second.entries[0].image(), "127.0.0.1:5000/org/api");
  handover_->done(first);
  EXPECT_TRUE(eventually([&] {
    return refresh(name) == "127.0.0.1:5000/org/api@2026-08-20T10:00:01Z";
  })) << refresh(name);
  handover_->done(second);
  EXPECT_TRUE(eventually([&] { return refresh(name).empty(); })) << refresh(name);
  // The removals (and unrelated changes) ask for nothing more.
  client_->merge_patch(kApps + "/" + name, R"({"metadata":{"labels":{"unrelated":"change"}}})");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(count(), 3u);
}

TEST_F(RefreshHandoverTest, OnlyAReplicaThatMayHoldPartOfTheFleetTakesPart) {
  start();
  SideOptions so;
  so.kubeconfig = fake_->kubeconfig().string();
  so.argocd_namespace = "argocd";
  so.leader_election = false;
  so.dry_run = true;
  auto affected = [](const iu::config::Snapshot&, const std::vector<iu::engine::ImageTarget>& t) {
    return std::vector<std::vector<iu::config::ObjectRef>>(t.size());
  };
  {
    KubeSide whole(so);  // one shard, no leader election: always holds everything
    EXPECT_EQ(whole.start_handover(affected), nullptr);
  }
  so.shard_count = 2;
  so.shard_index = "1";
  KubeSide part(so);
  EXPECT_NE(part.start_handover(affected), nullptr);
}

}  // namespace
