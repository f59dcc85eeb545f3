#include "log/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace iu::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};
std::atomic<int> g_format{static_cast<int>(Format::text)};

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> l = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto lg = std::make_shared<spdlog::logger>("argocd-image-updater", sink);
    lg->set_pattern("%v");
    lg->set_level(spdlog::level::trace);
    lg->flush_on(spdlog::level::trace);
    return lg;
  }();
  return l;
}

// logrus quotes a text value unless every byte is in [A-Za-z0-9-._/@^+].
bool needs_quoting(std::string_view v) {
  if (v.empty()) return true;
  for (unsigned char c : v) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' || c == '+';
    if (!ok) return true;
  }
  return false;
}

// Go %q-style escaping (shared by the text and JSON forms; valid JSON string content).
void append_escaped(std::string& out, std::string_view v) {
  out += '"';
  for (unsigned char c : v) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::string now_rfc3339() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::optional<Level> parse_level(std::string_view t) {
  if (t == "trace") return Level::trace;
  if (t == "debug") return Level::debug;
  if (t == "info") return Level::info;
  if (t == "warn" || t == "warning") return Level::warn;
  if (t == "error") return Level::error;
  return std::nullopt;
}

std::optional<Format> parse_format(std::string_view t) {
  if (t == "text") return Format::text;
  if (t == "json") return Format::json;
  return std::nullopt;
}

std::string_view level_name(Level level) {
  switch (level) {
    case Level::trace:
      return "trace";
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warning";
    case Level::error:
      return "error";
  }
  return "info";
}

void configure(Level level, Format format) {
  g_level.store(static_cast<int>(level));
  g_format.store(static_cast<int>(format));
}

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

std::string format_line(Level level, std::string_view message, std::initializer_list<Field> fields,
                        Format format, std::string_view time_text) {
  std::string out;
  out.reserve(64 + message.size());
  if (format == Format::json) {
    out += "{\"level\":";
    append_escaped(out, level_name(level));
    out += ",\"msg\":";
    append_escaped(out, message);
    out += ",\"time\":";
    append_escaped(out, time_text);
    for (const auto& f : fields) {
      out += ',';
      append_escaped(out, f.key);
      out += ':';
      append_escaped(out, f.value);
    }
    out += '}';
    return out;
  }
  out += "time=\"";
  out += time_text;
  out += "\" level=";
  out += level_name(level);
  out += " msg=";
  append_escaped(out, message);
  for (const auto& f : fields) {
    out += ' ';
    out += f.key;
    out += '=';
    if (needs_quoting(f.value)) {
      append_escaped(out, f.value);
    } else {
      out += f.value;
    }
  }
  return out;
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string line =
      format_line(level, message, fields, static_cast<Format>(g_format.load()), now_rfc3339());
  logger()->log(spdlog::level::info, "{}", line);
}

}  // namespace iu::log
