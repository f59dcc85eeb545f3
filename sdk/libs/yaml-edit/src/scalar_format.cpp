#include "scalar_format.hpp"

#include <re2/re2.h>

#include <array>

namespace iu::yamledit::detail {
namespace {

// YAML 1.1 (yaml.org/type) and YAML 1.2 core schema forms of the non-string types. A plain token
// matching any of them is quoted, so that Go (yaml.v2 is 1.1, yaml.v3 mostly 1.2), Helm and
// every other reader see a string.
const RE2& non_string_forms() {
  static const RE2 re(
      // null and bool
      "~|null|Null|NULL"
      "|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
      // int: binary, octal (1.1 and 1.2), decimal, hexadecimal, sexagesimal
      "|[-+]?0b[01_]+|[-+]?0[0-7_]+|0o[0-7]+|[-+]?(0|[1-9][0-9_]*)|[-+]?[0-9]+"
      "|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+"
      // float: 1.1 (underscores, optional digits), 1.2, sexagesimal, infinity, not-a-number
      "|[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?"
      "|[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?"
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*"
      "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
      // merge key and value key
      "|<<|=");
  return re;
}

// Dates and date-times (YAML 1.1 timestamp): any text that starts like one is treated as one.
const RE2& timestamp_prefix() {
  static const RE2 re("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \\t].*)?");
  return re;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

// Multi-byte characters YAML treats as line breaks or that a reader may drop or misread:
// C1 controls (NEL among them), LINE/PARAGRAPH SEPARATOR, the byte order mark.
std::size_t special_unicode(std::string_view v, std::size_t i) {
  auto b = [&](std::size_t k) {
    return i + k < v.size() ? static_cast<unsigned char>(v[i + k]) : 0;
  };
  if (b(0) == 0xC2 && b(1) >= 0x80 && b(1) <= 0x9F) return 2;
  if (b(0) == 0xE2 && b(1) == 0x80 && (b(2) == 0xA8 || b(2) == 0xA9)) return 3;
  if (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return 3;
  return 0;
}

bool has_unsafe_characters(std::string_view v) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (is_control(static_cast<unsigned char>(v[i])) || special_unicode(v, i) != 0) return true;
  }
  return false;
}

constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";

}  // namespace

bool resolves_to_non_string(std::string_view plain) {
  if (plain.empty()) return true;
  return RE2::FullMatch(plain, non_string_forms()) || RE2::FullMatch(plain, timestamp_prefix());
}

bool plain_syntax_ok(std::string_view v, Context ctx) {
  if (v.empty() || has_unsafe_characters(v)) return false;
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  if (blank(v.front()) || blank(v.back()) || v.back() == ':') return false;
  if (kIndicators.find(v.front()) != std::string_view::npos) {
    // `-x` is a plain scalar; `- x`, `-` and every other leading indicator are not.
    if (v.front() != '-' || v.size() < 2 || blank(v[1])) return false;
  }
  if (v.substr(0, 3) == "---" || v.substr(0, 3) == "...") return false;
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    if (v[i] == ':' && blank(v[i + 1])) return false;
    if (blank(v[i]) && v[i + 1] == '#') return false;
  }
  if (ctx == Context::kFlow && v.find_first_of(",[]{}") != std::string_view::npos) return false;
  return true;
}

bool plain_reads_back(std::string_view value, Context ctx) {
  return plain_syntax_ok(value, ctx) && !resolves_to_non_string(value);
}

bool single_quotable(std::string_view value) { return !has_unsafe_characters(value); }

std::string double_quoted(std::string_view v) {
  static constexpr std::array<const char*, 32> kControl = {
      "\\0",   "\\x01", "\\x02", "\\x03", "\\x04", "\\x05", "\\x06", "\\a",
      "\\b",   "\\t",   "\\n",   "\\v",   "\\f",   "\\r",   "\\x0E", "\\x0F",
      "\\x10", "\\x11", "\\x12", "\\x13", "\\x14", "\\x15", "\\x16", "\\x17",
      "\\x18", "\\x19", "\\x1A", "\\e",   "\\x1C", "\\x1D", "\\x1E", "\\x1F"};
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out = "\"";
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto c = static_cast<unsigned char>(v[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += kControl[c];
    } else if (c == 0x7F) {
      out += "\\x7F";
    } else if (std::size_t n = special_unicode(v, i); n != 0) {
      auto second = static_cast<unsigned char>(v[i + 1]);
      if (n == 2) {
        out += second == 0x85 ? std::string("\\N")
                              : std::string("\\x") + kHex[second >> 4] + kHex[second & 0xF];
      } else if (c == 0xE2) {
        out += static_cast<unsigned char>(v[i + 2]) == 0xA8 ? "\\L" : "\\P";
      } else {
        out += "\\uFEFF";
      }
      i += n - 1;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

std::string single_quoted(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    out += c;
    if (c == '\'') out += '\'';
  }
  out += '\'';
  return out;
}

bool is_string_tag(std::string_view tag) { return tag == "tag:yaml.org,2002:str" || tag == "!"; }

std::string render_string(std::string_view value, ScalarStyle style, Context ctx,
                          bool string_tagged) {
  switch (style) {
    case ScalarStyle::kPlain: {
      bool ok = string_tagged ? plain_syntax_ok(value, ctx) : plain_reads_back(value, ctx);
      return ok ? std::string(value) : double_quoted(value);
    }
    case ScalarStyle::kSingleQuoted:
      return single_quotable(value) ? single_quoted(value) : double_quoted(value);
    default:
      return double_quoted(value);
  }
}

bool reads_back_as_string(const Node& node, std::string_view value) {
  if (node.kind != NodeKind::kScalar || node.value != value) return false;
  if (node.style != ScalarStyle::kPlain || !node.tag.empty()) return true;
  return !resolves_to_non_string(value);
}

}  // namespace iu::yamledit::detail
