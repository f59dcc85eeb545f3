// Helpers shared by the integration tests: JSON from the fixtures and skopeo, digests of raw
// bytes, and the status and message of a failed plugin call.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "iu/dockerv2/digest.hpp"
#include "plugin_host/instance.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::test {

inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError()) throw std::runtime_error("not JSON: " + text.substr(0, 200));
  return doc;
}

// doc[a][b]... as a string ("" when absent or not a string).
inline std::string json_string(const rapidjson::Value& doc,
                               std::initializer_list<const char*> path) {
  const rapidjson::Value* v = &doc;
  for (const char* key : path) {
    if (!v->IsObject() || !v->HasMember(key)) return {};
    v = &(*v)[key];
  }
  return v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : std::string();
}

inline int64_t json_int(const rapidjson::Value& doc, std::initializer_list<const char*> path) {
  const rapidjson::Value* v = &doc;
  for (const char* key : path) {
    if (!v->IsObject() || !v->HasMember(key)) return 0;
    v = &(*v)[key];
  }
  return v->IsInt64() ? v->GetInt64() : 0;
}

inline std::string sha256_of(const std::string& bytes) {
  return dockerv2::compute_digest("sha256", bytes).str();
}

inline std::vector<std::string> tag_names(const std::vector<plugin_host::TagInfo>& tags) {
  std::vector<std::string> out;
  for (const auto& t : tags) out.push_back(t.tag);
  return out;
}

// The status and message of the PluginError `fn` throws.
template <typename Fn>
std::pair<iu_status, std::string> plugin_error(Fn&& fn) {
  try {
    fn();
  } catch (const plugin_host::PluginError& e) {
    return {e.status(), e.what()};
  }
  ADD_FAILURE() << "the plugin call succeeded";
  return {IU_STATUS_OK, ""};
}

}  // namespace iu::test
