#include "registry/metadata_codec.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace iu::registry {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using Value = rapidjson::Value;

void put(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void put_platform(Writer& w, const plugin_host::PlatformInfo& p) {
  put(w, "os", p.os);
  put(w, "arch", p.architecture);
  put(w, "variant", p.variant);
}

// Reads a string member; false when absent or not a string.
bool get(const Value& obj, const char* key, std::string* out) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return false;
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

bool get_platform(const Value& obj, plugin_host::PlatformInfo* p) {
  return get(obj, "os", &p->os) && get(obj, "arch", &p->architecture) &&
         get(obj, "variant", &p->variant);
}

bool parse(std::string_view body, rapidjson::Document* doc) {
  doc->Parse(body.data(), body.size());
  return !doc->HasParseError() && doc->IsObject();
}

}  // namespace

std::string encode_manifest(const plugin_host::ManifestInfo& m) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  put(w, "mediaType", m.media_type);
  w.Key("index");
  w.Bool(m.is_index);
  put(w, "config", m.config_digest);
  w.Key("children");
  w.StartArray();
  for (const auto& c : m.children) {
    w.StartObject();
    put(w, "digest", c.digest);
    put(w, "mediaType", c.media_type);
    put_platform(w, c.platform);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::optional<plugin_host::ManifestInfo> decode_manifest(std::string_view digest,
                                                         std::string_view body) {
  rapidjson::Document doc;
  if (!parse(body, &doc)) return std::nullopt;
  plugin_host::ManifestInfo m;
  m.digest = std::string(digest);
  auto index = doc.FindMember("index");
  auto children = doc.FindMember("children");
  if (!get(doc, "mediaType", &m.media_type) || !get(doc, "config", &m.config_digest) ||
      index == doc.MemberEnd() || !index->value.IsBool() || children == doc.MemberEnd() ||
      !children->value.IsArray())
    return std::nullopt;
  m.is_index = index->value.GetBool();
  for (const auto& c : children->value.GetArray()) {
    plugin_host::ManifestInfo::Child child;
    if (!c.IsObject() || !get(c, "digest", &child.digest) ||
        !get(c, "mediaType", &child.media_type) || !get_platform(c, &child.platform))
      return std::nullopt;
    m.children.push_back(std::move(child));
  }
  return m;
}

std::string encode_config(const plugin_host::ImageConfigInfo& c) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  put(w, "created", c.created);
  put_platform(w, c.platform);
  w.Key("labels");
  w.StartArray();
  for (const auto& [k, v] : c.labels) {
    w.StartArray();
    w.String(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    w.EndArray();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::optional<plugin_host::ImageConfigInfo> decode_config(std::string_view body) {
  rapidjson::Document doc;
  if (!parse(body, &doc)) return std::nullopt;
  plugin_host::ImageConfigInfo c;
  auto labels = doc.FindMember("labels");
  if (!get(doc, "created", &c.created) || !get_platform(doc, &c.platform) ||
      labels == doc.MemberEnd() || !labels->value.IsArray())
    return std::nullopt;
  for (const auto& kv : labels->value.GetArray()) {
    if (!kv.IsArray() || kv.Size() != 2 || !kv[0].IsString() || !kv[1].IsString())
      return std::nullopt;
    c.labels.emplace_back(std::string(kv[0].GetString(), kv[0].GetStringLength()),
                          std::string(kv[1].GetString(), kv[1].GetStringLength()));
  }
  return c;
}

}  // namespace iu::registry
