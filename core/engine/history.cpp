#include "engine/history.hpp"

#include <sqlite3.h>

#include "log/log.hpp"

namespace iu::engine {
namespace {

constexpr int kSchemaVersion = 1;

bool exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK) return true;
  log::warn("history database statement failed", {{"error", err != nullptr ? err : "unknown"}});
  sqlite3_free(err);
  return false;
}

}  // namespace

struct HistoryStore::Db {
  sqlite3* handle = nullptr;
  ~Db() {
    if (handle != nullptr) sqlite3_close(handle);
  }
};

HistoryStore::HistoryStore(const std::filesystem::path& file) {
  if (file.empty()) return;
  auto open = [&]() -> std::unique_ptr<Db> {
    auto db = std::make_unique<Db>();
    if (sqlite3_open(file.c_str(), &db->handle) != SQLITE_OK) return nullptr;
    sqlite3_busy_timeout(db->handle, 5000);
    if (!exec(db->handle, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")) return nullptr;
    if (!exec(db->handle,
              "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL);"
              "CREATE TABLE IF NOT EXISTS app_history(ns TEXT NOT NULL, name TEXT NOT NULL,"
              " last_attempt INTEGER, last_success INTEGER, last_failure INTEGER,"
              " last_result INTEGER NOT NULL, PRIMARY KEY(ns, name));"))
      return nullptr;
    sqlite3_stmt* st = nullptr;
    int version = -1;
    if (sqlite3_prepare_v2(db->handle, "SELECT version FROM schema_version LIMIT 1", -1, &st,
                           nullptr) != SQLITE_OK)
      return nullptr;
    if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version == -1) {
      exec(db->handle,
           ("INSERT INTO schema_version VALUES(" + std::to_string(kSchemaVersion) + ")").c_str());
    } else if (version != kSchemaVersion) {
      return nullptr;
    }
    return db;
  };
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  db_ = open();
  if (!db_) {
    log::warn("application history unreadable or of another version: discarded and rebuilt",
              {{"file", file.string()}});
    std::filesystem::remove(file, ec);
    std::filesystem::remove(file.string() + "-wal", ec);
    std::filesystem::remove(file.string() + "-shm", ec);
    db_ = open();
    if (!db_) {
      log::warn("application history kept in memory only", {{"file", file.string()}});
      return;
    }
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_->handle,
                         "SELECT ns, name, last_attempt, last_success, last_failure, last_result "
                         "FROM app_history",
                         -1, &st, nullptr) != SQLITE_OK)
    return;
  auto col = [&](int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? IU_TIME_UNKNOWN
                                                     : sqlite3_column_int64(st, i);
  };
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string ns = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    std::string name = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    rows_[{ns, name}] = AppHistory{col(2), col(3), col(4), sqlite3_column_int(st, 5)};
  }
  sqlite3_finalize(st);
}

HistoryStore::~HistoryStore() = default;

AppHistory HistoryStore::get(const std::string& ns, const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = rows_.find({ns, name});
  return it == rows_.end() ? AppHistory{} : it->second;
}

void HistoryStore::record(const std::string& ns, const std::string& name, int64_t now_ms,
                          bool success, bool updated) {
  std::lock_guard lock(mu_);
  AppHistory& h = rows_[{ns, name}];
  h.last_attempt_ms = now_ms;
  h.last_result = success ? IU_RESULT_SUCCESS : IU_RESULT_FAILURE;
  if (success && updated) h.last_success_ms = now_ms;
  if (!success) h.last_failure_ms = now_ms;
  dirty_[{ns, name}] = true;
}

void HistoryStore::save() {
  std::lock_guard lock(mu_);
  if (!db_ || dirty_.empty()) {
    dirty_.clear();
    return;
  }
  sqlite3_stmt* st = nullptr;
  if (!exec(db_->handle, "BEGIN") ||
      sqlite3_prepare_v2(db_->handle, "INSERT OR REPLACE INTO app_history VALUES(?, ?, ?, ?, ?, ?)",
                         -1, &st, nullptr) != SQLITE_OK) {
    return;
  }
  auto bind_time = [&](int i, int64_t v) {
    if (v == IU_TIME_UNKNOWN) {
      sqlite3_bind_null(st, i);
    } else {
      sqlite3_bind_int64(st, i, v);
    }
  };
  for (const auto& [key, _] : dirty_) {
    const AppHistory& h = rows_[key];
    sqlite3_bind_text(st, 1, key.first.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, key.second.c_str(), -1, SQLITE_TRANSIENT);
    bind_time(3, h.last_attempt_ms);
    bind_time(4, h.last_success_ms);
    bind_time(5, h.last_failure_ms);
    sqlite3_bind_int(st, 6, h.last_result);
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  exec(db_->handle, "COMMIT");
  dirty_.clear();
}

}  // namespace iu::engine
