#include "util/duration.hpp"

#include <cmath>
#include <cstdint>

namespace iu::util {
namespace {

std::optional<double> unit_ns(std::string_view u) {
  if (u == "ns") return 1.0;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return 1e3;
  if (u == "ms") return 1e6;
  if (u == "s") return 1e9;
  if (u == "m") return 60e9;
  if (u == "h") return 3600e9;
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<std::chrono::nanoseconds> fail(std::string* error, std::string msg) {
  if (error != nullptr) *error = std::move(msg);
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text, std::string* error) {
  const std::string quoted = "invalid duration \"" + std::string(text) + "\"";
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) return fail(error, quoted);
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && is_digit(s[i])) ++i;
    size_t int_end = i;
    size_t frac_begin = i, frac_end = i;
    if (i < s.size() && s[i] == '.') {
      frac_begin = ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
      frac_end = i;
    }
    if (int_end == 0 && frac_end == frac_begin) return fail(error, quoted);
    long double value = 0;
    for (size_t k = 0; k < int_end; ++k) value = value * 10 + (s[k] - '0');
    long double scale = 0.1L;
    for (size_t k = frac_begin; k < frac_end; ++k, scale /= 10) value += (s[k] - '0') * scale;
    size_t u = i;
    while (u < s.size() && !is_digit(s[u]) && s[u] != '.') ++u;
    if (u == i) return fail(error, quoted + ": missing unit");
    auto mult = unit_ns(s.substr(i, u - i));
    if (!mult)
      return fail(error, quoted + ": unknown unit \"" + std::string(s.substr(i, u - i)) + "\"");
    total += value * *mult;
    s.remove_prefix(u);
  }
  if (total > static_cast<long double>(INT64_MAX)) return fail(error, quoted + ": overflow");
  auto ns = static_cast<int64_t>(std::llround(static_cast<double>(total)));
  return std::chrono::nanoseconds(negative ? -ns : ns);
}

std::string format_duration(std::chrono::nanoseconds d) {
  int64_t ns = d.count();
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
  auto frac = [](uint64_t v, uint64_t unit, const char* suffix) {
    std::string out = std::to_string(v / unit);
    uint64_t rem = v % unit;
    if (rem != 0) {
      std::string digits = std::to_string(rem);
      std::string pad(std::to_string(unit).size() - 1 - digits.size(), '0');
      digits = pad + digits;
      while (!digits.empty() && digits.back() == '0') digits.pop_back();
      out += "." + digits;
    }
    return out + suffix;
  };
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000000) return sign + frac(u, 1000, "\xC2\xB5s");
  if (u < 1000000000) return sign + frac(u, 1000000, "ms");
  std::string out;
  uint64_t h = u / 3600000000000ULL;
  u %= 3600000000000ULL;
  uint64_t m = u / 60000000000ULL;
  u %= 60000000000ULL;
  if (h > 0) out += std::to_string(h) + "h";
  if (h > 0 || m > 0) out += std::to_string(m) + "m";
  out += frac(u, 1000000000ULL, "s");
  return sign + out;
}

std::optional<bool> parse_bool(std::string_view t) {
  if (t == "1" || t == "t" || t == "T" || t == "TRUE" || t == "true" || t == "True") return true;
  if (t == "0" || t == "f" || t == "F" || t == "FALSE" || t == "false" || t == "False")
    return false;
  return std::nullopt;
}

}  // namespace iu::util
