// Batches: many applications in one commit and one push, the batch commit message, base:target
// branches, and pushes that never lose anyone's work (SPEC §9.7, §9.8).
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <fstream>
#include <thread>

#include "git_fixture.hpp"
#include "git_harness.hpp"
#include "metrics/registry.hpp"
#include "server_suite.hpp"

namespace iu::test::gitwb {
namespace {

using iu::plugin_host::WritebackInstance;

IntentSpec override_app(const std::string& url, const std::string& app, const std::string& tag) {
  IntentSpec spec;
  spec.app_namespace = "argocd";
  spec.app_name = app;
  spec.settings = {{"repository", url},
                   {"branch", "main"},
                   {"source_path", "apps/" + app},
                   {"source_type", "Helm"},
                   {"argocd_namespace", "argocd"}};
  spec.changes = {ChangeSpec{"ghcr.io/acme/" + app, "1.0.0", tag, "", {}}};
  return spec;
}

class GitBatchTest : public ServerSuite {
 protected:
  void SetUp() override {
    name_ = fresh_repo();
    bare_ = server().bare(name_);
  }
  std::unique_ptr<WritebackInstance> instance(std::map<std::string, std::string> extra = {}) {
    extra["cache_dir"] = cache_dir();
    return make_instance(extra);
  }
  std::string url() const { return server().daemon_url(name_); }

  std::string name_;
  std::filesystem::path bare_;
  std::unique_ptr<WritebackInstance> wb_;
};

TEST_F(GitBatchTest, SeveralApplicationsMakeOneCommitAndOnePush) {
  wb_ = instance();
  Batch b;
  for (const char* app : {"web", "api", "db", "cache", "queue"})
    b.add(override_app(url(), app, "2.0.0"));
  b.add(helm_values_intent(url(), "chart", "2.0.0"));
  auto r = write(*wb_, b);
  for (const auto& x : r) EXPECT_EQ(x.status, IU_STATUS_OK) << x.message;
  EXPECT_EQ(commit_count(bare_, "main"), 2);
  EXPECT_EQ(reflog(bare_, "main").size(), 1u);  // one push
  EXPECT_EQ(
      show(bare_, "main", "apps/db/.argocd-source-db.yaml"),
      "helm:\n  parameters:\n  - name: image.name\n    value: ghcr.io/acme/db\n"
      "    forcestring: true\n  - name: image.tag\n    value: 2.0.0\n    forcestring: true\n");
  EXPECT_EQ(
      git(bare_, "log -1 --format=%B main"),
      "build: automatic update of 6 applications\n\n"
      "build: automatic update of api\n\nupdates image acme/api tag '1.0.0' to '2.0.0'\n\n"
      "build: automatic update of cache\n\nupdates image acme/cache tag '1.0.0' to '2.0.0'\n\n"
      "build: automatic update of chart\n\nupdates image org/app tag '1.0.0' to '2.0.0'\n\n"
      "build: automatic update of db\n\nupdates image acme/db tag '1.0.0' to '2.0.0'\n\n"
      "build: automatic update of queue\n\nupdates image acme/queue tag '1.0.0' to '2.0.0'\n\n"
      "build: automatic update of web\n\nupdates image acme/web tag '1.0.0' to '2.0.0'");
}

TEST_F(GitBatchTest, CustomTemplateAndSignOff) {
  wb_ = instance(
      {{"commit_message_template", "chore({{ .AppName }}): {{ len .AppChanges }} image(s)"},
       {"sign_off", "true"},
       {"commit_user", "Updater Bot"},
       {"commit_email", "bot@example.com"}});
  Batch b;
  b.add(override_app(url(), "web", "2.0.0"));
  ASSERT_EQ(write(*wb_, b)[0].status, IU_STATUS_OK);
  EXPECT_EQ(git(bare_, "log -1 --format=%B main"),
            "chore(web): 1 image(s)\n\nSigned-off-by: Updater Bot <bot@example.com>");
  EXPECT_EQ(git(bare_, "log -1 --format=%an%n%ae main"), "Updater Bot\nbot@example.com");
}

TEST_F(GitBatchTest, BaseTargetBranchIsCreatedThenUpdatedOnItsOwnTip) {
  wb_ = instance();
  const std::string main_before = rev(bare_, "main");
  Batch first;
  first.add(helm_values_intent(url(), "web", "2.0.0", "main:release/{{ .AppName }}"));
  ASSERT_EQ(write(*wb_, first)[0].status, IU_STATUS_OK);
  const std::string release1 = rev(bare_, "release/web");
  ASSERT_FALSE(release1.empty());
  EXPECT_EQ(git(bare_, "rev-parse release/web~1"), main_before);
  EXPECT_EQ(rev(bare_, "main"), main_before);

  // main moves on independently; the target branch must not be rebuilt from it.
  TempDir work;
  sh("git clone -q " + quote(url()) + " " + quote((work.path() / "w").string()) + " && cd " +
     quote((work.path() / "w").string()) +
     " && echo x > other.txt && git add other.txt && git commit -qm other && git push -q origin "
     "main");

  Batch second;
  second.add(helm_values_intent(url(), "web", "3.0.0", "main:release/{{ .AppName }}"));
  ASSERT_EQ(write(*wb_, second)[0].status, IU_STATUS_OK);
  EXPECT_EQ(git(bare_, "rev-parse release/web~1"), release1);
  EXPECT_NE(show(bare_, "release/web", "helm/app/values.yaml").find("tag: \"3.0.0\""),
            std::string::npos);
  EXPECT_TRUE(only_fast_forwards(bare_, "release/web"));
  EXPECT_EQ(reflog(bare_, "release/web").size(), 2u);
}

// A pre-receive hook lands someone else's commit on main while our push is being received, so
// the server refuses our update (its ref is no longer where we built on): the plugin must fetch
// the new tip, re-apply and push again, on top of the other commit.
TEST_F(GitBatchTest, RejectedPushIsReappliedOnTheNewTip) {
  wb_ = instance();
  const std::string original = rev(bare_, "main");
  std::filesystem::path marker = bare_ / "race-once";
  std::ofstream(marker) << "1";
  std::filesystem::path hook = bare_ / "hooks" / "pre-receive";
  std::ofstream(hook)
      << "#!/bin/sh\n"
         "cat >/dev/null\n"
         "[ -e "
      << quote(marker.string())
      << " ] || exit 0\n"
         "rm -f "
      << quote(marker.string())
      << "\n"
         "unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES\n"
         "export GIT_AUTHOR_NAME=Other GIT_AUTHOR_EMAIL=o@x GIT_COMMITTER_NAME=Other "
         "GIT_COMMITTER_EMAIL=o@x\n"
         "tip=$(git rev-parse refs/heads/main)\n"
         "c=$(echo concurrent | git commit-tree \"$tip^{tree}\" -p \"$tip\")\n"
         "git update-ref refs/heads/main \"$c\" \"$tip\"\n";
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all);
  std::string key = url().substr(0, url().size() - 4);  // the normalized URL labels metrics
  for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto retries = [&] {
    return iu::metrics::Registry::global()
        .value("argocd_image_updater_git_push_retries_total", {key})
        .value_or(0);
  };
  const double retries_before = retries();

  Batch b;
  b.add(helm_values_intent(url(), "web", "5.0.0"));
  auto r = write(*wb_, b);
  ASSERT_EQ(r[0].status, IU_STATUS_OK) << r[0].message;
  EXPECT_FALSE(std::filesystem::exists(marker));
  EXPECT_EQ(git(bare_, "log -1 --format=%s main~1"), "concurrent");
  EXPECT_EQ(git(bare_, "rev-parse main~2"), original);
  EXPECT_NE(show(bare_, "main", "helm/app/values.yaml").find("tag: \"5.0.0\""), std::string::npos);
  EXPECT_GE(retries() - retries_before, 1.0);
  EXPECT_TRUE(only_fast_forwards(bare_, "main"));
}

// A server that refuses every update: the batch gives up after push_attempts and every
// application of the batch gets an error; nothing is forced, nothing lands.
TEST_F(GitBatchTest, ExhaustedPushAttemptsFailTheWholeBatch) {
  wb_ = instance({{"push_attempts", "3"}});
  const std::string before = rev(bare_, "main");
  std::filesystem::path hook = bare_ / "hooks" / "pre-receive";
  std::ofstream(hook) << "#!/bin/sh\ncat >/dev/null\necho frozen >&2\nexit 1\n";
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all);
  Batch b;
  b.add(override_app(url(), "web", "6.0.0"));
  b.add(override_app(url(), "api", "6.0.0"));
  auto r = write(*wb_, b);
  ASSERT_EQ(r.size(), 2u);
  for (const auto& x : r) {
    EXPECT_EQ(x.status, IU_STATUS_CONFLICT);
    EXPECT_NE(x.message.find("@main: push rejected 3 times"), std::string::npos) << x.message;
  }
  EXPECT_EQ(rev(bare_, "main"), before);
  EXPECT_TRUE(reflog(bare_, "main").empty());
}

// Another client pushes unrelated commits to the same branch while the plugin lands batches,
// both as fast as they can (bounded in count and time). A pre-receive hook holds the plugin's
// pushes for 1 s on the server, so external pushes land while ours wait and the server refuses
// ours: the plugin must recover every time. Every external commit that landed and every update
// must survive, with no forced update on the server.
TEST_F(GitBatchTest, ConcurrentPushersLoseNothing) {
  wb_ = instance({{"push_attempts", "20"}});
  constexpr int kExternal = 10, kMaxBatches = 30;
  std::filesystem::path hook = bare_ / "hooks" / "pre-receive";
  std::ofstream(hook)
      << "#!/bin/sh\n"
         "while read old new ref; do\n"
         "  [ \"$(git log -1 --format=%an \"$new\")\" = argocd-image-updater ] && sleep 1\n"
         "done\n"
         "exit 0\n";
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all);
  TempDir work;
  const std::string clone = (work.path() / "w").string();
  sh("git clone -q " + quote(url()) + " " + quote(clone));
  std::string key = url().substr(0, url().size() - 4);
  for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto retries = [&] {
    return iu::metrics::Registry::global()
        .value("argocd_image_updater_git_push_retries_total", {key})
        .value_or(0);
  };
  std::atomic<bool> done{false};
  std::vector<int> landed;  // written by the other thread only until `done`
  int external_retries = 0;
  std::thread other([&] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    for (int i = 0; i < kExternal && std::chrono::steady_clock::now() < deadline; ++i) {
      sh("cd " + quote(clone) + " && echo " + std::to_string(i) + " > ext-" + std::to_string(i) +
         ".txt && git add -A && git commit -qm 'external " + std::to_string(i) + "'");
      for (int t = 0; t < 30; ++t) {
        if (sh("cd " + quote(clone) +
                   " && git pull -q --rebase origin main && git push -q origin main",
               false)
                .status == 0) {
          landed.push_back(i);
          break;
        }
        ++external_retries;
      }
    }
    done = true;
  });
  std::vector<iu::plugin_host::WriteResult> results;
  int batches = 0;
  while (batches < kMaxBatches && (!done.load() || batches < 3)) {
    Batch b;
    b.add(override_app(url(), "web", "3.0." + std::to_string(batches)));
    b.add(override_app(url(), "api", "3.0." + std::to_string(batches)));
    for (auto& r : write(*wb_, b)) results.push_back(r);
    ++batches;
  }
  other.join();
  RecordProperty("batches", batches);
  RecordProperty("push_retries", static_cast<int>(retries()));
  RecordProperty("external_landed", static_cast<int>(landed.size()));
  RecordProperty("external_retries", external_retries);
  EXPECT_GE(retries(), 1.0) << "the plugin never had to recover from a rejected push";
  for (const auto& r : results) EXPECT_EQ(r.status, IU_STATUS_OK) << r.message;
  EXPECT_GE(landed.size(), static_cast<size_t>(kExternal / 2));
  std::string subjects = git(bare_, "log --format=%s main");
  for (int i : landed)
    EXPECT_NE(subjects.find("external " + std::to_string(i) + "\n"), std::string::npos) << i;
  const std::string last = "value: 3.0." + std::to_string(batches - 1) + "\n";
  EXPECT_NE(show(bare_, "main", "apps/web/.argocd-source-web.yaml").find(last), std::string::npos);
  EXPECT_NE(show(bare_, "main", "apps/api/.argocd-source-api.yaml").find(last), std::string::npos);
  int ours = 0;
  for (size_t p = 0;
       (p = subjects.find("build: automatic update of 2 applications", p)) != std::string::npos;
       ++p)
    ++ours;
  EXPECT_EQ(ours, batches);
  EXPECT_EQ(sh("git -C " + quote(bare_.string()) + " fsck --no-progress", false).status, 0);
  EXPECT_TRUE(only_fast_forwards(bare_, "main"));
}

}  // namespace
}  // namespace iu::test::gitwb
