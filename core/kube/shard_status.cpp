#include "kube/shard_status.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "kube/time_format.hpp"

namespace iu::kube {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void kv(Writer& w, const char* k, const std::string& v) {
  w.Key(k);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

std::string str(const rapidjson::Value& v, const char* k) {
  return v.IsObject() && v.HasMember(k) && v[k].IsString() ? std::string(v[k].GetString())
                                                           : std::string();
}

}  // namespace

std::string shard_summary(const UpdaterPassFacts& f, std::chrono::system_clock::time_point now) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  kv(w, "time", format_time(now));
  w.Key("crFailed");
  w.Bool(f.cr_failed);
  w.Key("errorCount");
  w.Int(static_cast<int>(f.errors.size()));
  w.Key("errors");
  w.StartArray();
  for (size_t i = 0; i < f.errors.size() && i < 20; ++i)
    w.String(f.errors[i].c_str(), static_cast<rapidjson::SizeType>(f.errors[i].size()));
  w.EndArray();
  w.Key("recentUpdates");
  w.StartArray();
  for (const auto& u : f.updates) {
    w.StartObject();
    kv(w, "alias", u.alias);
    kv(w, "image", u.image);
    kv(w, "oldVersion", u.old_version);
    kv(w, "newVersion", u.new_version);
    w.Key("applicationsUpdated");
    w.Int(u.applications_updated);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string shard_annotation_patch(int shard, const std::string& summary) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  const std::string key = std::string(kShardStatusPrefix) + std::to_string(shard);
  w.StartObject();
  w.Key("metadata");
  w.StartObject();
  w.Key("annotations");
  w.StartObject();
  w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(summary.c_str(), static_cast<rapidjson::SizeType>(summary.size()));
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

UpdaterPassFacts combine_shards(const std::string& cr_json, const UpdaterPassFacts& base,
                                std::chrono::milliseconds max_age,
                                std::chrono::system_clock::time_point now) {
  UpdaterPassFacts out;
  out.generation = base.generation;
  out.applications_matched = base.applications_matched;
  out.images_managed = base.images_managed;
  rapidjson::Document cr;
  cr.Parse(cr_json.data(), cr_json.size());
  if (cr.HasParseError() || !cr.IsObject() || !cr.HasMember("metadata") ||
      !cr["metadata"].IsObject() || !cr["metadata"].HasMember("annotations") ||
      !cr["metadata"]["annotations"].IsObject())
    return out;
  for (const auto& a : cr["metadata"]["annotations"].GetObject()) {
    const std::string key = a.name.GetString();
    if (key.rfind(kShardStatusPrefix, 0) != 0 || !a.value.IsString()) continue;
    rapidjson::Document s;
    s.Parse(a.value.GetString(), a.value.GetStringLength());
    if (s.HasParseError() || !s.IsObject()) continue;
    auto when = parse_micro_time(str(s, "time"));
    if (!when || (max_age.count() > 0 && now - *when > max_age)) continue;
    if (s.HasMember("crFailed") && s["crFailed"].IsBool() && s["crFailed"].GetBool())
      out.cr_failed = true;
    if (s.HasMember("errors") && s["errors"].IsArray())
      for (const auto& e : s["errors"].GetArray())
        if (e.IsString()) out.errors.emplace_back(e.GetString());
    if (s.HasMember("errorCount") && s["errorCount"].IsInt() && s["errors"].IsArray()) {
      int hidden = s["errorCount"].GetInt() - static_cast<int>(s["errors"].Size());
      for (int i = 0; i < hidden; ++i)
        out.errors.push_back("(" + key.substr(kShardStatusPrefix.size()) + ": error not recorded)");
    }
    if (!s.HasMember("recentUpdates") || !s["recentUpdates"].IsArray()) continue;
    for (const auto& u : s["recentUpdates"].GetArray()) {
      RecentUpdate r{str(u, "alias"), str(u, "image"), str(u, "oldVersion"), str(u, "newVersion"),
                     u.HasMember("applicationsUpdated") && u["applicationsUpdated"].IsInt()
                         ? u["applicationsUpdated"].GetInt()
                         : 0};
      bool merged = false;
      for (auto& have : out.updates)
        if (have.alias == r.alias && have.image == r.image && have.new_version == r.new_version) {
          have.applications_updated += r.applications_updated;
          merged = true;
        }
      if (!merged) out.updates.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace iu::kube
