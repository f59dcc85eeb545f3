// Per-application history (last attempt, last successful update, last failure) that feeds the
// lru and fail-first schedulers and --cooldown (SPEC §10.2–10.3). Persisted in SQLite so that a
// restart keeps the fairness of the order; an unreadable or corrupt file is discarded with a
// warning and rebuilt (the history can change the order of work, never its result).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "iu/plugin.h"

namespace iu::engine {

struct AppHistory {
  int64_t last_attempt_ms = IU_TIME_UNKNOWN;
  int64_t last_success_ms = IU_TIME_UNKNOWN;  // last attempt that updated at least one image
  int64_t last_failure_ms = IU_TIME_UNKNOWN;
  int32_t last_result = IU_RESULT_NONE;  // of the last attempt
};

class HistoryStore {
 public:
  // `file` empty: memory only. Otherwise the database is opened (created) there.
  explicit HistoryStore(const std::filesystem::path& file = {});
  ~HistoryStore();
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  AppHistory get(const std::string& app_namespace, const std::string& app_name) const;
  // Records the outcome of one attempt. `updated`: at least one image was written.
  void record(const std::string& app_namespace, const std::string& app_name, int64_t now_ms,
              bool success, bool updated);
  // Writes the changes since the last save in one transaction (end of a pass).
  void save();

 private:
  struct Db;
  std::unique_ptr<Db> db_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, AppHistory> rows_;
  std::map<std::pair<std::string, std::string>, bool> dirty_;
};

}  // namespace iu::engine
