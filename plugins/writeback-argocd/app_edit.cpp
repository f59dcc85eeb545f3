#include "app_edit.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "iu/yamledit/override_file.hpp"

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

// obj[key] of JSON type `type`, created when absent or null; EditError when it exists with
// another type.
Value& child(Value& obj, const std::string& key, rapidjson::Type type, Alloc& a,
             const std::string& where) {
  const char* k = key.c_str();
  if (!obj.HasMember(k) || obj[k].IsNull()) {
    if (obj.HasMember(k)) obj.RemoveMember(k);
    obj.AddMember(str_value(key, a), Value(type), a);
  }
  if (obj[k].GetType() != type)
    throw EditError(where + "." + key + ": expected " +
                    (type == rapidjson::kObjectType ? "an object" : "a list"));
  return obj[k];
}

const std::string* target(const ImageEdit& e, const char* key) {
  auto it = e.target.find(key);
  return it == e.target.end() || it->second.empty() ? nullptr : &it->second;
}

std::string full_spec(const ImageEdit& e) {
  return e.image_name + (e.new_tag.empty() ? "" : ":" + e.new_tag) +
         (e.new_digest.empty() ? "" : "@" + e.new_digest);
}

EntryEdit named(const char* block, const char* list, std::string name, std::string value,
                bool force_string) {
  EntryEdit x;
  x.block = block;
  x.list = list;
  x.key = std::move(name);
  x.value = std::move(value);
  x.force_string = force_string;
  return x;
}

// Sets a {name, value[, forceString: true]} entry in a list of named entries. True when it
// changed.
bool set_named(Value& list, const EntryEdit& x, Alloc& a) {
  for (auto& entry : list.GetArray()) {
    if (!entry.IsObject() || get_str(entry, "name") != x.key) continue;
    bool changed = false;
    if (get_str(entry, "value") != x.value || !entry.HasMember("value")) {
      if (entry.HasMember("value")) entry.RemoveMember("value");
      entry.AddMember("value", str_value(x.value, a), a);
      changed = true;
    }
    if (x.force_string && !(entry.HasMember("forceString") && entry["forceString"].IsBool() &&
                            entry["forceString"].GetBool())) {
      if (entry.HasMember("forceString")) entry.RemoveMember("forceString");
      entry.AddMember("forceString", true, a);
      changed = true;
    }
    return changed;
  }
  Value entry(rapidjson::kObjectType);
  entry.AddMember("name", str_value(x.key, a), a);
  entry.AddMember("value", str_value(x.value, a), a);
  if (x.force_string) entry.AddMember("forceString", true, a);
  list.PushBack(entry, a);
  return true;
}

bool set_kustomize_image(Value& images, const EntryEdit& x, Alloc& a) {
  for (auto& item : images.GetArray()) {
    if (!item.IsString()) continue;
    const std::string text = item.GetString();
    if (iu::yamledit::kustomize_image_key(text) != x.key) continue;
    if (text == x.value) return false;
    item = str_value(x.value, a);
    return true;
  }
  images.PushBack(str_value(x.value, a), a);
  return true;
}

// The source object named by `field`.
Value& locate_source(rapidjson::Document& d, const std::string& field) {
  const long index = source_index(field);
  if (!d.IsObject() || !d.HasMember("spec") || !d["spec"].IsObject())
    throw EditError("spec: missing");
  Value& spec = d["spec"];
  if (index < 0) {
    if (!spec.HasMember("source") || !spec["source"].IsObject())
      throw EditError("spec.source: missing");
    return spec["source"];
  }
  const auto i = static_cast<rapidjson::SizeType>(index);
  if (!spec.HasMember("sources") || !spec["sources"].IsArray() || i >= spec["sources"].Size() ||
      !spec["sources"][i].IsObject())
    throw EditError(field + ": missing");
  return spec["sources"][i];
}

}  // namespace

std::string written_tag(const ImageEdit& e) {
  if (e.new_digest.empty()) return e.new_tag;
  return e.new_tag.empty() ? e.new_digest : e.new_tag + "@" + e.new_digest;
}

std::vector<EntryEdit> entries_for(const std::string& source_type, const ImageEdit& e) {
  if (source_type == "Kustomize") {
    const std::string* kname = target(e, "kustomize.name");
    EntryEdit x;
    x.kind = EntryEdit::Kind::kKustomizeImage;
    x.block = "kustomize";
    x.list = "images";
    x.key = kname != nullptr ? *kname : e.image_name;
    x.value = full_spec(e);
    if (kname != nullptr && *kname != e.image_name) x.value = *kname + "=" + x.value;
    return {x};
  }
  if (source_type == "Helm") {
    if (const std::string* spec = target(e, "helm.spec"))
      return {named("helm", "parameters", *spec, full_spec(e), true)};
    const std::string* name = target(e, "helm.name");
    const std::string* tag = target(e, "helm.tag");
    return {named("helm", "parameters", name != nullptr ? *name : "image.name", e.image_name, true),
            named("helm", "parameters", tag != nullptr ? *tag : "image.tag", written_tag(e), true)};
  }
  if (source_type == "Plugin") {
    if (const std::string* spec = target(e, "plugin.spec"))
      return {named("plugin", "env", *spec, full_spec(e), false)};
    const std::string* name = target(e, "plugin.name");
    const std::string* tag = target(e, "plugin.tag");
    if (name == nullptr && tag == nullptr)
      throw EditError("image " + e.alias + ": manifestTargets.plugin: needs spec, or name and tag");
    std::vector<EntryEdit> out;
    if (name != nullptr) out.push_back(named("plugin", "env", *name, e.image_name, false));
    if (tag != nullptr) out.push_back(named("plugin", "env", *tag, written_tag(e), false));
    return out;
  }
  throw EditError("source type \"" + source_type + "\" is not supported by the argocd write-back");
}

long source_index(const std::string& field) {
  if (field.empty() || field == "spec.source") return -1;
  const std::string prefix = "spec.sources[";
  if (field.rfind(prefix, 0) == 0 && field.size() > prefix.size() + 1 && field.back() == ']') {
    const std::string digits = field.substr(prefix.size(), field.size() - prefix.size() - 1);
    if (digits.size() <= 6 && digits.find_first_not_of("0123456789") == std::string::npos)
      return std::stol(digits);
    throw EditError(field + ": not a source index");
  }
  throw EditError(field + ": the argocd write-back cannot edit this source");
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
    for (const EntryEdit& x : entries_for(source_type, e)) {
      Value& block = child(source, x.block, rapidjson::kObjectType, a, where);
      Value& list = child(block, x.list, rapidjson::kArrayType, a, where + "." + x.block);
      const bool c = x.kind == EntryEdit::Kind::kNamed ? set_named(list, x, a)
                                                       : set_kustomize_image(list, x, a);
      changed = c || changed;
    }
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
