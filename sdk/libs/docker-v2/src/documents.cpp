// The small documents: tag list pages, token responses and registry error bodies.
#include "iu/dockerv2/documents.hpp"

#include <cmath>

#include "json.hpp"

namespace iu::dockerv2 {

std::vector<std::string> parse_tag_page(std::string_view body) {
  constexpr std::string_view kDoc = "tag list";
  rapidjson::Document doc;
  detail::parse_json(doc, body);
  detail::require_object(doc, kDoc, "");
  std::vector<std::string> tags;
  const detail::JsonValue* list = detail::find(doc, "tags");
  if (list == nullptr || list->IsNull()) return tags;
  if (!list->IsArray())
    detail::shape_error(kDoc, "tags",
                        "expected an array, found " + std::string(detail::type_name(*list)));
  tags.reserve(list->Size());
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const detail::JsonValue& t = (*list)[i];
    if (!t.IsString())
      detail::shape_error(kDoc, detail::index("tags", i),
                          "expected a string, found " + std::string(detail::type_name(t)));
    if (t.GetStringLength() == 0) detail::shape_error(kDoc, detail::index("tags", i), "empty tag");
    tags.emplace_back(t.GetString(), t.GetStringLength());
  }
  return tags;
}

TokenResponse parse_token_response(std::string_view body) {
  constexpr std::string_view kDoc = "token response";
  rapidjson::Document doc;
  detail::parse_json(doc, body);
  detail::require_object(doc, kDoc, "");
  TokenResponse r;
  r.token = detail::optional_string(doc, "token", kDoc, "").value_or("");
  if (r.token.empty())
    r.token = detail::optional_string(doc, "access_token", kDoc, "").value_or("");
  if (r.token.empty()) detail::shape_error(kDoc, "", "neither token nor access_token is set");
  const detail::JsonValue* exp = detail::find(doc, "expires_in");
  if (exp != nullptr && !exp->IsNull()) {
    if (exp->IsInt64()) {
      r.expires_in = exp->GetInt64();
    } else if (exp->IsDouble() && std::isfinite(exp->GetDouble()) &&
               std::fabs(exp->GetDouble()) < 1e15) {
      r.expires_in = static_cast<int64_t>(exp->GetDouble());
    } else {
      detail::shape_error(
          kDoc, "expires_in",
          "expected a number of seconds, found " + std::string(detail::type_name(*exp)));
    }
  }
  return r;
}

std::string error_body_summary(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return {};
  const detail::JsonValue* errors = detail::find(doc, "errors");
  if (errors == nullptr || !errors->IsArray()) return {};
  std::string out;
  for (rapidjson::SizeType i = 0; i < errors->Size() && i < 3; ++i) {
    const detail::JsonValue& e = (*errors)[i];
    if (!e.IsObject()) continue;
    std::string part;
    const detail::JsonValue* code = detail::find(e, "code");
    const detail::JsonValue* message = detail::find(e, "message");
    if (code != nullptr && code->IsString()) part = code->GetString();
    if (message != nullptr && message->IsString() && message->GetStringLength() > 0)
      part += (part.empty() ? "" : ": ") + std::string(message->GetString());
    if (part.empty()) continue;
    out += (out.empty() ? "" : "; ") + part;
  }
  for (char& c : out)
    if (c < 0x20 || c > 0x7e) c = '?';
  if (out.size() > 200) out = out.substr(0, 197) + "...";
  return out;
}

}  // namespace iu::dockerv2
