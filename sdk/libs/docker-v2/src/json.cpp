#include "json.hpp"

#include <rapidjson/error/en.h>

#include "iu/dockerv2/documents.hpp"

namespace iu::dockerv2::detail {

void parse_json(rapidjson::Document& doc, std::string_view body) {
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    std::string reason = rapidjson::GetParseError_En(doc.GetParseError());
    if (!reason.empty() && reason.back() == '.') reason.pop_back();
    if (!reason.empty() && reason.front() >= 'A' && reason.front() <= 'Z')
      reason.front() = static_cast<char>(reason.front() - 'A' + 'a');
    throw DocumentError(
        IU_STATUS_INTERNAL,
        "invalid JSON at offset " + std::to_string(doc.GetErrorOffset()) + ": " + reason);
  }
}

void shape_error(std::string_view document, const std::string& path, std::string_view problem) {
  std::string msg = "an invalid " + std::string(document) + ": ";
  if (!path.empty()) msg += path + ": ";
  throw DocumentError(IU_STATUS_INTERNAL, msg + std::string(problem));
}

std::string_view type_name(const JsonValue& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "a value";
}

std::string join(const std::string& path, std::string_view member) {
  bool plain = !member.empty();
  for (char c : member)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      plain = false;
  if (!plain) return path + "[\"" + std::string(member) + "\"]";
  return path.empty() ? std::string(member) : path + "." + std::string(member);
}

std::string index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

const JsonValue* find(const JsonValue& obj, std::string_view name) {
  auto it = obj.FindMember(rapidjson::StringRef(name.data(), name.size()));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> optional_string(const JsonValue& obj, std::string_view name,
                                           std::string_view document, const std::string& path) {
  const JsonValue* v = find(obj, name);
  if (v == nullptr || v->IsNull()) return std::nullopt;
  if (!v->IsString())
    shape_error(document, join(path, name),
                "expected a string, found " + std::string(type_name(*v)));
  return std::string(v->GetString(), v->GetStringLength());
}

const JsonValue* optional_object(const JsonValue& obj, std::string_view name,
                                 std::string_view document, const std::string& path) {
  const JsonValue* v = find(obj, name);
  if (v == nullptr || v->IsNull()) return nullptr;
  if (!v->IsObject())
    shape_error(document, join(path, name),
                "expected an object, found " + std::string(type_name(*v)));
  return v;
}

void require_object(const JsonValue& v, std::string_view document, const std::string& path) {
  if (!v.IsObject())
    shape_error(document, path, "expected an object, found " + std::string(type_name(v)));
}

}  // namespace iu::dockerv2::detail
