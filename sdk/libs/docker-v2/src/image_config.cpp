// Image config blobs: build time, platform and labels (SPEC §6.3, §6.5).
#include "iu/dockerv2/documents.hpp"
#include "json.hpp"

namespace iu::dockerv2 {
namespace {
constexpr std::string_view kDoc = "image config";
}  // namespace

sdk::ImageConfig parse_image_config(std::string_view body) {
  rapidjson::Document doc;
  detail::parse_json(doc, body);
  detail::require_object(doc, kDoc, "");

  sdk::ImageConfig c;
  c.created = detail::optional_string(doc, "created", kDoc, "").value_or("");
  c.platform.os = detail::optional_string(doc, "os", kDoc, "").value_or("");
  c.platform.architecture = detail::optional_string(doc, "architecture", kDoc, "").value_or("");
  c.platform.variant = detail::optional_string(doc, "variant", kDoc, "").value_or("");

  const detail::JsonValue* config = detail::optional_object(doc, "config", kDoc, "");
  if (config == nullptr) return c;
  const detail::JsonValue* labels = detail::optional_object(*config, "Labels", kDoc, "config");
  if (labels == nullptr) return c;
  for (auto it = labels->MemberBegin(); it != labels->MemberEnd(); ++it) {
    std::string key(it->name.GetString(), it->name.GetStringLength());
    if (!it->value.IsString())
      detail::shape_error(kDoc, detail::join("config.Labels", key),
                          "expected a string, found " + std::string(detail::type_name(it->value)));
    c.labels.emplace_back(std::move(key),
                          std::string(it->value.GetString(), it->value.GetStringLength()));
  }
  return c;
}

}  // namespace iu::dockerv2
