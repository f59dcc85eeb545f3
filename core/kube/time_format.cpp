#include "kube/time_format.hpp"

#include <cstdio>
#include <ctime>

namespace iu::kube {
namespace {

std::string format(std::chrono::system_clock::time_point t, bool micro) {
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
  std::time_t tt = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (micro) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(t - secs).count();
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(us));
    out += buf;
  }
  return out + "Z";
}

}  // namespace

std::string format_time(std::chrono::system_clock::time_point t) { return format(t, false); }
std::string format_micro_time(std::chrono::system_clock::time_point t) { return format(t, true); }

std::optional<std::chrono::system_clock::time_point> parse_micro_time(std::string_view text) {
  std::string s(text);
  std::tm tm{};
  int used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 6)
    return std::nullopt;
  // The clock counts nanoseconds in 64 bits and ends in 2262: later times read as 2200.
  if (tm.tm_year > 2200) {
    tm = std::tm{};
    tm.tm_year = 2200;
    tm.tm_mday = 1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::string_view rest = std::string_view(s).substr(static_cast<size_t>(used));
  long long micros = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (rest.front() - '0');
        ++digits;
      }
      rest.remove_prefix(1);
    }
    for (; digits < 6; ++digits) micros *= 10;
  }
  if (rest != "Z" && rest != "+00:00") return std::nullopt;
  std::time_t tt = timegm(&tm);
  return std::chrono::system_clock::from_time_t(tt) + std::chrono::microseconds(micros);
}

}  // namespace iu::kube
