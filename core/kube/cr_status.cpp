#include "kube/cr_status.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>

#include "kube/time_format.hpp"

namespace iu::kube {
namespace {

struct Condition {
  std::string type, status, reason, message;
};

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void kv(Writer& w, const char* k, const std::string& v) {
  w.Key(k);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

struct StoredCondition {
  std::string type, status, reason, message, time;
};

std::vector<StoredCondition> stored_list(const std::string& status) {
  std::vector<StoredCondition> out;
  if (status.empty()) return out;
  rapidjson::Document d;
  d.Parse(status.data(), status.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("conditions") ||
      !d["conditions"].IsArray())
    return out;
  for (const auto& c : d["conditions"].GetArray()) {
    if (!c.IsObject()) continue;
    auto s = [&](const char* k) {
      return c.HasMember(k) && c[k].IsString() ? std::string(c[k].GetString()) : std::string();
    };
    out.push_back({s("type"), s("status"), s("reason"), s("message"), s("lastTransitionTime")});
  }
  return out;
}

// Stored conditions by type: (status, lastTransitionTime).
std::map<std::string, std::pair<std::string, std::string>> previous_conditions(
    const std::string& status) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (auto& c : stored_list(status)) out[c.type] = {c.status, c.time};
  return out;
}

void write_conditions(Writer& w, const std::vector<Condition>& conditions,
                      const std::string& previous, const std::string& now,
                      std::int64_t generation) {
  auto prev = previous_conditions(previous);
  w.Key("conditions");
  w.StartArray();
  for (const auto& c : conditions) {
    w.StartObject();
    kv(w, "type", c.type);
    kv(w, "status", c.status);
    kv(w, "reason", c.reason);
    kv(w, "message", c.message);
    auto it = prev.find(c.type);
    kv(w, "lastTransitionTime",
       it != prev.end() && it->second.first == c.status && !it->second.second.empty()
           ? it->second.second
           : now);
    if (generation > 0) {
      w.Key("observedGeneration");
      w.Int64(generation);
    }
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string summarize_errors(const std::vector<std::string>& errors) {
  std::string out;
  for (size_t i = 0; i < errors.size() && i < 5; ++i) out += (i ? "; " : "") + errors[i];
  if (errors.size() > 5) out += " (+" + std::to_string(errors.size() - 5) + " more)";
  return out;
}

std::string status_patch(const UpdaterPassFacts& f, const std::string& previous,
                         std::chrono::system_clock::time_point now_tp) {
  const std::string now = format_time(now_tp);
  std::vector<Condition> conditions;
  const std::string summary = summarize_errors(f.errors);
  if (f.cr_failed) {
    conditions.push_back({"Ready", "False", "ReconcileFailed", summary});
    conditions.push_back({"Reconciling", "False", "Idle", "Reconciliation finished"});
    conditions.push_back({"Error", "True", "ReconcileError", summary});
  } else if (!f.errors.empty()) {
    conditions.push_back({"Ready", "True", "ReconcileCompletedWithErrors", summary});
    conditions.push_back({"Reconciling", "False", "Idle", "Reconciliation finished"});
    conditions.push_back({"Error", "True", "PartialErrors", summary});
  } else {
    conditions.push_back({"Ready", "True", "ReconcileSucceeded", "All applications processed"});
    conditions.push_back({"Reconciling", "False", "Idle", "Reconciliation finished"});
    conditions.push_back({"Error", "False", "NoErrors", "No errors"});
  }
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("status");
  w.StartObject();
  w.Key("observedGeneration");
  w.Int64(f.generation);
  kv(w, "lastCheckedAt", now);
  if (!f.updates.empty()) kv(w, "lastUpdatedAt", now);
  w.Key("applicationsMatched");
  w.Int(f.applications_matched);
  w.Key("imagesManaged");
  w.Int(f.images_managed);
  w.Key("recentUpdates");
  w.StartArray();
  for (const auto& u : f.updates) {
    w.StartObject();
    kv(w, "alias", u.alias);
    kv(w, "image", u.image);
    kv(w, "newVersion", u.new_version);
    w.Key("applicationsUpdated");
    w.Int(u.applications_updated);
    kv(w, "updatedAt", now);
    kv(w, "message",
       "Updated from " + (u.old_version.empty() ? std::string("<none>") : u.old_version) + " to " +
           u.new_version + ".");
    w.EndObject();
  }
  w.EndArray();
  write_conditions(w, conditions, previous, now, f.generation);
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string reconciling_patch(const std::string& previous,
                              std::chrono::system_clock::time_point now_tp) {
  const std::string now = format_time(now_tp);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("status");
  w.StartObject();
  w.Key("conditions");
  w.StartArray();
  bool seen = false;
  for (const auto& c : stored_list(previous)) {
    w.StartObject();
    kv(w, "type", c.type);
    if (c.type == "Reconciling") {
      seen = true;
      kv(w, "status", "True");
      kv(w, "reason", "Reconciling");
      kv(w, "message", "Pass in progress");
      kv(w, "lastTransitionTime", c.status == "True" && !c.time.empty() ? c.time : now);
    } else {
      kv(w, "status", c.status);
      kv(w, "reason", c.reason);
      kv(w, "message", c.message);
      kv(w, "lastTransitionTime", c.time.empty() ? now : c.time);
    }
    w.EndObject();
  }
  if (!seen) {
    w.StartObject();
    kv(w, "type", "Reconciling");
    kv(w, "status", "True");
    kv(w, "reason", "Reconciling");
    kv(w, "message", "Pass in progress");
    kv(w, "lastTransitionTime", now);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace iu::kube
