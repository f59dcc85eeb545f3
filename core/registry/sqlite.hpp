// A thin RAII layer over the SQLite C API, private to core/registry (the metadata store is its
// only user; no public header includes this one). Every failure throws sqlite::Error carrying
// SQLite's primary result code, so the store can tell a damaged file (SQLITE_CORRUPT,
// SQLITE_NOTADB) from a busy one.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace iu::registry::sqlite {

class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  // Primary result code (SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_BUSY, ...).
  int code() const noexcept { return code_ & 0xff; }
  // True when the database file itself is unusable and must be rebuilt.
  bool damaged() const noexcept {
    return code() == SQLITE_CORRUPT || code() == SQLITE_NOTADB || code() == SQLITE_FORMAT;
  }

 private:
  int code_;
};

// A prepared statement. Bind indices start at 1, column indices at 0 (SQLite's convention).
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, int64_t value);
  // Runs one step: true when a row is available, false when the statement is done.
  bool step();
  // Resets for the next execution and clears the bindings.
  void reset();

  std::string text(int column) const;
  int64_t integer(int column) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// One connection. Not thread-safe: the owner serialises access.
class Database {
 public:
  // Opens (creating when `create`) the file; ":memory:" gives a private in-memory database.
  Database(const std::string& path, bool create);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without results.
  void exec(const std::string& sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t changes() const;

 private:
  sqlite3* db_ = nullptr;
};

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it throws.
template <typename Body>
void transaction(Database& db, Body&& body) {
  db.exec("BEGIN IMMEDIATE");
  try {
    body();
    db.exec("COMMIT");
  } catch (...) {
    try {
      db.exec("ROLLBACK");
    } catch (const Error&) {
      // The failed statement may already have ended the transaction.
    }
    throw;
  }
}

}  // namespace iu::registry::sqlite
