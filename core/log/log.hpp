// Process-wide logging in the logrus format upstream users parse (SPEC §13.3):
//   text: time="2026-11-26T20:00:00Z" level=info msg="..." key=value ...
//   json: {"level":"info","msg":"...","time":"...", "key":"value"}
// spdlog does the I/O; its headers stay in log.cpp so that including this one is cheap.
// Contract: never pass credentials or tokens as messages or field values.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace iu::log {

enum class Level { trace = 0, debug = 1, info = 2, warn = 3, error = 4 };
enum class Format { text, json };

struct Field {
  std::string_view key;
  std::string value;
};

std::optional<Level> parse_level(std::string_view text);
std::optional<Format> parse_format(std::string_view text);
std::string_view level_name(Level level);

// Sets the threshold and format. Thread-safe; may be called again at any time.
void configure(Level level, Format format);
bool enabled(Level level);

// Writes one line to stderr when `level` is enabled.
void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

// Formats a line without writing it (used by write and by tests).
std::string format_line(Level level, std::string_view message, std::initializer_list<Field> fields,
                        Format format, std::string_view time_text);

inline void trace(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::trace, m, f);
}
inline void debug(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::debug, m, f);
}
inline void info(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::info, m, f);
}
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::warn, m, f);
}
inline void error(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::error, m, f);
}

}  // namespace iu::log
