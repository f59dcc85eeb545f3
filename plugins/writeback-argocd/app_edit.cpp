#include "app_edit.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace iu::argocdwb {
namespace {

using rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

Value str_value(const std::string& s, Alloc& a) {
  return Value(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), a);
}

std::string get_str(const Value& obj, const char* key) {
  if (!obj.IsObject() || !obj.HasMember(key) || !obj[key].IsString()) return {};
  return obj[key].GetString();
}

// obj[key] as an object, created when absent; EditError when it exists with another type.
Value& child_object(Value& obj, const char* key, Alloc& a, const std::string& where) {
  if (!obj.HasMember(key) || obj[key].IsNull()) {
    if (obj.HasMember(key)) obj.RemoveMember(key);
    obj.AddMember(Value(key, a), Value(rapidjson::kObjectType), a);
  }
  if (!obj[key].IsObject()) throw EditError(where + "." + key + ": expected an object");
  return obj[key];
}

Value& child_array(Value& obj, const char* key, Alloc& a, const std::string& where) {
  if (!obj.HasMember(key) || obj[key].IsNull()) {
    if (obj.HasMember(key)) obj.RemoveMember(key);
    obj.AddMember(Value(key, a), Value(rapidjson::kArrayType), a);
  }
  if (!obj[key].IsArray()) throw EditError(where + "." + key + ": expected a list");
  return obj[key];
}

const std::string* target(const ImageEdit& e, const char* key) {
  auto it = e.target.find(key);
  return it == e.target.end() || it->second.empty() ? nullptr : &it->second;
}

// Sets {name, value[, forceString: true]} in a list of named entries. True when it changed.
bool set_named(Value& list, const std::string& name, const std::string& value, bool force_string,
               Alloc& a) {
  for (auto& entry : list.GetArray()) {
    if (!entry.IsObject() || get_str(entry, "name") != name) continue;
    bool changed = false;
    if (get_str(entry, "value") != value || !entry.HasMember("value")) {
      if (entry.HasMember("value")) entry.RemoveMember("value");
      entry.AddMember("value", str_value(value, a), a);
      changed = true;
    }
    if (force_string && !(entry.HasMember("forceString") && entry["forceString"].IsBool() &&
                          entry["forceString"].GetBool())) {
      if (entry.HasMember("forceString")) entry.RemoveMember("forceString");
      entry.AddMember("forceString", true, a);
      changed = true;
    }
    return changed;
  }
  Value entry(rapidjson::kObjectType);
  entry.AddMember("name", str_value(name, a), a);
  entry.AddMember("value", str_value(value, a), a);
  if (force_string) entry.AddMember("forceString", true, a);
  list.PushBack(entry, a);
  return true;
}

// The name part of a Kustomize image value (`name:tag@digest` -> `name`): a `:` counts as the
// tag separator only after the last `/` (a registry port is not a tag).
std::string kustomize_image_name(const std::string& value) {
  std::string v = value.substr(0, value.find('@'));
  size_t slash = v.rfind('/');
  size_t colon = v.find(':', slash == std::string::npos ? 0 : slash);
  return colon == std::string::npos ? v : v.substr(0, colon);
}

std::string kustomize_key(const std::string& entry) {
  size_t eq = entry.find('=');
  return eq == std::string::npos ? kustomize_image_name(entry) : entry.substr(0, eq);
}

bool edit_kustomize(Value& source, const ImageEdit& e, Alloc& a, const std::string& where) {
  Value& images =
      child_array(child_object(source, "kustomize", a, where), "images", a, where + ".kustomize");
  const std::string* kname = target(e, "kustomize.name");
  const std::string key = kname != nullptr ? *kname : e.image_name;
  std::string value = e.image_name;
  if (!e.new_tag.empty()) value += ":" + e.new_tag;
  if (!e.new_digest.empty()) value += "@" + e.new_digest;
  const std::string entry =
      (kname != nullptr && *kname != e.image_name) ? *kname + "=" + value : value;
  for (auto& item : images.GetArray()) {
    if (!item.IsString()) continue;
    const std::string text = item.GetString();
    if (kustomize_key(text) != key) continue;
    if (text == entry) return false;
    item = str_value(entry, a);
    return true;
  }
  images.PushBack(str_value(entry, a), a);
  return true;
}

bool edit_helm(Value& source, const ImageEdit& e, Alloc& a, const std::string& where) {
  Value& params =
      child_array(child_object(source, "helm", a, where), "parameters", a, where + ".helm");
  const std::string tag = written_tag(e);
  if (const std::string* spec = target(e, "helm.spec")) {
    std::string full = e.image_name + (e.new_tag.empty() ? "" : ":" + e.new_tag) +
                       (e.new_digest.empty() ? "" : "@" + e.new_digest);
    return set_named(params, *spec, full, true, a);
  }
  const std::string* name = target(e, "helm.name");
  const std::string* tagk = target(e, "helm.tag");
  bool changed = set_named(params, name != nullptr ? *name : "image.name", e.image_name, true, a);
  changed = set_named(params, tagk != nullptr ? *tagk : "image.tag", tag, true, a) || changed;
  return changed;
}

bool edit_plugin(Value& source, const ImageEdit& e, Alloc& a, const std::string& where) {
  Value& env = child_array(child_object(source, "plugin", a, where), "env", a, where + ".plugin");
  if (const std::string* spec = target(e, "plugin.spec")) {
    std::string full = e.image_name + (e.new_tag.empty() ? "" : ":" + e.new_tag) +
                       (e.new_digest.empty() ? "" : "@" + e.new_digest);
    return set_named(env, *spec, full, false, a);
  }
  const std::string* name = target(e, "plugin.name");
  const std::string* tagk = target(e, "plugin.tag");
  if (name == nullptr && tagk == nullptr)
    throw EditError("image " + e.alias + ": manifestTargets.plugin: needs spec, or name and tag");
  bool changed = false;
  if (name != nullptr) changed = set_named(env, *name, e.image_name, false, a);
  if (tagk != nullptr) changed = set_named(env, *tagk, written_tag(e), false, a) || changed;
  return changed;
}

// The source object named by `field`.
Value& locate_source(rapidjson::Document& d, const std::string& field) {
  if (!d.IsObject() || !d.HasMember("spec") || !d["spec"].IsObject())
    throw EditError("spec: missing");
  Value& spec = d["spec"];
  if (field.empty() || field == "spec.source") {
    if (!spec.HasMember("source") || !spec["source"].IsObject())
      throw EditError("spec.source: missing");
    return spec["source"];
  }
  const std::string prefix = "spec.sources[";
  if (field.rfind(prefix, 0) == 0 && field.back() == ']') {
    size_t index = 0;
    try {
      index = std::stoul(field.substr(prefix.size(), field.size() - prefix.size() - 1));
    } catch (const std::exception&) {
      throw EditError(field + ": not a source index");
    }
    if (!spec.HasMember("sources") || !spec["sources"].IsArray() ||
        index >= spec["sources"].Size() ||
        !spec["sources"][static_cast<rapidjson::SizeType>(index)].IsObject())
      throw EditError(field + ": missing");
    return spec["sources"][static_cast<rapidjson::SizeType>(index)];
  }
  throw EditError(field + ": the argocd write-back cannot edit this source");
}

}  // namespace

std::string written_tag(const ImageEdit& e) {
  if (e.new_digest.empty()) return e.new_tag;
  return e.new_tag.empty() ? e.new_digest : e.new_tag + "@" + e.new_digest;
}

EditOutcome apply_edits(const std::string& json, const std::string& source_field,
                        const std::string& source_type, const std::vector<ImageEdit>& edits) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) throw EditError("the Application is not a JSON object");
  Alloc& a = d.GetAllocator();
  const std::string where = source_field.empty() ? "spec.source" : source_field;
  Value& source = locate_source(d, source_field);
  EditOutcome out;
  for (const auto& e : edits) {
    bool changed = false;
    if (source_type == "Kustomize")
      changed = edit_kustomize(source, e, a, where);
    else if (source_type == "Plugin")
      changed = edit_plugin(source, e, a, where);
    else if (source_type == "Helm")
      changed = edit_helm(source, e, a, where);
    else
      throw EditError("source type \"" + source_type +
                      "\" is not supported by the argocd write-back");
    if (changed) ++out.changed;
  }
  if (out.changed == 0) {
    out.object = json;
    return out;
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  d.Accept(w);
  out.object.assign(buf.GetString(), buf.GetSize());
  return out;
}

}  // namespace iu::argocdwb
