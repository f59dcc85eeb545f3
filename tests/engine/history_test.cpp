#include "engine/history.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace iu::engine {
namespace {

std::filesystem::path temp_file(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("iu-history-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto f = dir / name;
  std::filesystem::remove(f);
  return f;
}

TEST(History, RecordsAttemptsSuccessesAndFailures) {
  HistoryStore h;
  EXPECT_EQ(h.get("argocd", "web").last_result, IU_RESULT_NONE);
  h.record("argocd", "web", 100, true, false);
  auto a = h.get("argocd", "web");
  EXPECT_EQ(a.last_attempt_ms, 100);
  EXPECT_EQ(a.last_success_ms, IU_TIME_UNKNOWN) << "success without an update is not an update";
  h.record("argocd", "web", 200, true, true);
  h.record("argocd", "web", 300, false, false);
  a = h.get("argocd", "web");
  EXPECT_EQ(a.last_attempt_ms, 300);
  EXPECT_EQ(a.last_success_ms, 200);
  EXPECT_EQ(a.last_failure_ms, 300);
  EXPECT_EQ(a.last_result, IU_RESULT_FAILURE);
}

TEST(History, SurvivesARestart) {
  auto f = temp_file("history.db");
  {
    HistoryStore h(f);
    h.record("argocd", "web", 100, true, true);
    h.record("team", "api", 150, false, false);
    h.save();
  }
  HistoryStore again(f);
  EXPECT_EQ(again.get("argocd", "web").last_success_ms, 100);
  EXPECT_EQ(again.get("team", "api").last_result, IU_RESULT_FAILURE);
  EXPECT_EQ(again.get("team", "api").last_success_ms, IU_TIME_UNKNOWN);
}

TEST(History, CorruptFileIsDiscardedAndRebuilt) {
  auto f = temp_file("corrupt.db");
  std::ofstream(f) << "this is not an SQLite database, not even close......................";
  HistoryStore h(f);
  EXPECT_EQ(h.get("argocd", "web").last_result, IU_RESULT_NONE);
  h.record("argocd", "web", 1, true, true);
  h.save();
  HistoryStore again(f);
  EXPECT_EQ(again.get("argocd", "web").last_success_ms, 1);
}

}  // namespace
}  // namespace iu::engine
