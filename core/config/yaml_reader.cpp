#include "config/yaml_reader.hpp"

#include <set>

namespace iu::config::yaml {
namespace {

bool one_of(std::string_view s, std::initializer_list<std::string_view> options) {
  for (std::string_view o : options)
    if (s == o) return true;
  return false;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s)
    if (!pred(c)) return false;
  return !s.empty();
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::size_t digits(std::string_view s, std::size_t from) {
  std::size_t n = 0;
  while (from + n < s.size() && is_digit(s[from + n])) ++n;
  return n;
}

// The int and float forms of the YAML 1.2 core schema:
//   [-+]?[0-9]+   0o[0-7]+   0x[0-9a-fA-F]+
//   [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?   [-+]?\.(inf|Inf|INF)   \.(nan|NaN|NAN)
bool is_number(std::string_view s) {
  if (s.substr(0, 2) == "0o") return all_of(s.substr(2), is_octal);
  if (s.substr(0, 2) == "0x") return all_of(s.substr(2), is_hex);
  if (one_of(s, {".nan", ".NaN", ".NAN"})) return true;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  if (one_of(s, {".inf", ".Inf", ".INF"})) return true;
  std::size_t i = digits(s, 0);
  const bool whole = i > 0;
  bool fraction = false;
  if (i < s.size() && s[i] == '.') {
    const std::size_t n = digits(s, i + 1);
    fraction = n > 0;
    i += 1 + n;
  }
  if (!whole && !fraction) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t n = digits(s, i);
    if (n == 0) return false;
    i += n;
  }
  return i == s.size();
}

std::string describe(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsScalar()) {
    const std::string_view kind = scalar_kind(node);
    return std::string(kind == "string"    ? "a string"
                       : kind == "null"    ? "null"
                       : kind == "boolean" ? "a boolean"
                                           : "a number") +
           " \"" + node.Scalar() + "\"";
  }
  return "null";
}

}  // namespace

std::string join(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string index(std::string_view parent, std::size_t i) {
  return std::string(parent) + "[" + std::to_string(i) + "]";
}

std::string_view scalar_kind(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "null";
  if (!node.IsScalar()) return "string";
  const std::string& tag = node.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return "string";
  if (tag != "?" && !tag.empty()) return "string";  // other explicit tags: leave to the reader
  const std::string& s = node.Scalar();
  if (one_of(s, {"", "~", "null", "Null", "NULL"})) return "null";
  if (one_of(s, {"true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No",
                 "NO", "on", "On", "ON", "off", "Off", "OFF"}))
    return "boolean";
  if (is_number(s)) return "number";
  return "string";
}

bool is_absent(const YAML::Node& node) {
  return !node.IsDefined() || node.IsNull() || (node.IsScalar() && scalar_kind(node) == "null");
}

int line_of(const YAML::Node& node) { return node.Mark().line + 1; }
int column_of(const YAML::Node& node) { return node.Mark().column + 1; }

void Reader::error(std::string path, std::string message) {
  ++failures_;
  if (errors_ != nullptr)
    errors_->push_back(make_issue(scope_, object_, std::move(path), std::move(message)));
}

bool Reader::mapping(const YAML::Node& node, std::string_view path,
                     std::initializer_list<std::string_view> known) {
  if (is_absent(node)) return false;
  if (!node.IsMap()) {
    error(std::string(path), "expected a mapping, found " + describe(node));
    return false;
  }
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) {
      error(std::string(path), "keys must be strings");
      continue;
    }
    const std::string& key = entry.first.Scalar();
    if (!seen.insert(key).second) error(join(path, key), "duplicate key");
    if (strict_ && known.size() > 0 && !one_of(key, known)) error(join(path, key), "unknown field");
  }
  return true;
}

YAML::Node Reader::child(const YAML::Node& parent, std::string_view key) {
  if (!parent.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& entry : parent)
    if (entry.first.IsScalar() && entry.first.Scalar() == key)
      return is_absent(entry.second) ? YAML::Node(YAML::NodeType::Undefined) : entry.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

std::optional<std::string> Reader::as_string(const YAML::Node& node, std::string_view path) {
  if (node.IsScalar() && scalar_kind(node) == "string") return node.Scalar();
  error(std::string(path), "expected a string, found " + describe(node) +
                               (node.IsScalar() ? " (quote it to make it a string)" : ""));
  return std::nullopt;
}

std::optional<std::string> Reader::string(const YAML::Node& parent, std::string_view parent_path,
                                          std::string_view key) {
  const YAML::Node value = child(parent, key);
  if (!value.IsDefined()) return std::nullopt;
  return as_string(value, join(parent_path, key));
}

std::optional<bool> Reader::boolean(const YAML::Node& parent, std::string_view parent_path,
                                    std::string_view key) {
  const YAML::Node value = child(parent, key);
  if (!value.IsDefined()) return std::nullopt;
  if (value.IsScalar() && scalar_kind(value) == "boolean") {
    const std::string& s = value.Scalar();
    if (one_of(s, {"true", "True", "TRUE"})) return true;
    if (one_of(s, {"false", "False", "FALSE"})) return false;
  }
  error(join(parent_path, key), "expected a boolean (true or false), found " + describe(value));
  return std::nullopt;
}

std::optional<std::vector<std::string>> Reader::strings(const YAML::Node& parent,
                                                        std::string_view parent_path,
                                                        std::string_view key) {
  const YAML::Node value = child(parent, key);
  if (!value.IsDefined()) return std::nullopt;
  const std::string path = join(parent_path, key);
  if (!value.IsSequence()) {
    error(path, "expected a list of strings, found " + describe(value));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto item = as_string(value[i], index(path, i));
    if (item)
      out.push_back(std::move(*item));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Labels> Reader::string_map(const YAML::Node& parent, std::string_view parent_path,
                                         std::string_view key) {
  const YAML::Node value = child(parent, key);
  const std::string path = join(parent_path, key);
  if (!mapping(value, path, {})) return std::nullopt;
  Labels out;
  bool ok = true;
  for (const auto& entry : value) {
    if (!entry.first.IsScalar()) continue;  // reported by mapping()
    const std::string& k = entry.first.Scalar();
    // Go reads a null map value as "", as the API server does.
    auto v = is_absent(entry.second) ? std::optional<std::string>("")
                                     : as_string(entry.second, path + "[\"" + k + "\"]");
    if (v)
      out.emplace(k, std::move(*v));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace iu::config::yaml
