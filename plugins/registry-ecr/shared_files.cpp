#include "shared_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "iu/plugin.hpp"

namespace iu::registry_ecr {
namespace {

using Sections = std::map<std::string, std::map<std::string, std::string>>;

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

[[noreturn]] void bad_file(const std::string& path, size_t line, const std::string& what) {
  throw sdk::Error(
      IU_STATUS_INVALID_ARGUMENT,
      "AWS shared file " + path + (line > 0 ? ":" + std::to_string(line) : "") + ": " + what);
}

// INI as the AWS SDKs read it: [section], key = value, full-line # or ; comments; indented lines
// under a key with an empty value are nested settings (s3 = ...), which this plugin ignores.
Sections read_ini(const std::string& path) {
  Sections out;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return out;
  std::ifstream in(path);
  if (!in) bad_file(path, 0, "cannot be read");
  std::string section, line;
  bool nested = false;
  size_t number = 0;
  constexpr size_t kMaxLines = 100000;
  while (std::getline(in, line)) {
    if (++number > kMaxLines) bad_file(path, number, "more than 100000 lines");
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    const bool indented = line[0] == ' ' || line[0] == '\t';
    if (indented && nested) continue;
    nested = false;
    if (t.front() == '[') {
      if (t.back() != ']') bad_file(path, number, "section header without closing ']'");
      section = trim(std::string_view(t).substr(1, t.size() - 2));
      if (section.empty()) bad_file(path, number, "empty section name");
      out[section];
      continue;
    }
    size_t eq = t.find('=');
    if (eq == std::string::npos)
      bad_file(path, number, "expected `key = value`, a [section] or a comment");
    if (section.empty()) bad_file(path, number, "setting outside of any [section]");
    std::string key = lower(trim(std::string_view(t).substr(0, eq)));
    std::string value = trim(std::string_view(t).substr(eq + 1));
    if (key.empty()) bad_file(path, number, "setting without a name");
    if (value.empty()) nested = true;
    out[section][key] = value;
  }
  return out;
}

}  // namespace

std::optional<std::string> ProfileSettings::get(const std::string& key) const {
  auto it = values.find(key);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

ProfileSettings load_profile(const AwsEnv& env) {
  ProfileSettings p;
  p.explicitly_named = env.get("AWS_PROFILE").has_value();
  p.name = env.get("AWS_PROFILE").value_or("default");
  const std::string home = env.get("HOME").value_or("");
  p.credentials_path = env.get("AWS_SHARED_CREDENTIALS_FILE")
                           .value_or(home.empty() ? "" : home + "/.aws/credentials");
  p.config_path = env.get("AWS_CONFIG_FILE").value_or(home.empty() ? "" : home + "/.aws/config");

  if (!p.config_path.empty()) {
    Sections config = read_ini(p.config_path);
    auto it = config.find("profile " + p.name);
    if (it == config.end() && p.name == "default") it = config.find("default");
    if (it != config.end()) {
      p.found = true;
      p.values = it->second;
      if (p.values.count("aws_access_key_id") != 0) p.keys_path = p.config_path;
    }
  }
  if (!p.credentials_path.empty()) {
    Sections creds = read_ini(p.credentials_path);
    if (auto it = creds.find(p.name); it != creds.end()) {
      p.found = true;
      for (const auto& [k, v] : it->second) p.values[k] = v;
      if (it->second.count("aws_access_key_id") != 0) p.keys_path = p.credentials_path;
    }
  }
  return p;
}

}  // namespace iu::registry_ecr
