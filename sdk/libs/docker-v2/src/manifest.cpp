// Manifests and indexes: media type recognition and parsing (SPEC §6.3, §7.3).
#include <string>

#include "iu/dockerv2/digest.hpp"
#include "iu/dockerv2/documents.hpp"
#include "json.hpp"
#include "text.hpp"

namespace iu::dockerv2 {
namespace {

constexpr std::string_view kDoc = "manifest";

[[noreturn]] void schema1(std::string_view media_type) {
  throw DocumentError(IU_STATUS_UNSUPPORTED,
                      "a schema 1 manifest (" + std::string(media_type) +
                          "), which is not supported: push the image with a Docker schema 2 or "
                          "OCI manifest");
}

std::string digest_member(const detail::JsonValue& obj, const std::string& path) {
  auto d = detail::optional_string(obj, "digest", kDoc, path);
  if (!d) detail::shape_error(kDoc, detail::join(path, "digest"), "missing");
  if (!parse_digest(*d))
    detail::shape_error(kDoc, detail::join(path, "digest"), "invalid digest \"" + *d + "\"");
  return *d;
}

sdk::Platform platform_of(const detail::JsonValue& entry, const std::string& path) {
  sdk::Platform p;
  const detail::JsonValue* v = detail::optional_object(entry, "platform", kDoc, path);
  if (v == nullptr) return p;
  std::string pp = detail::join(path, "platform");
  p.os = detail::optional_string(*v, "os", kDoc, pp).value_or("");
  p.architecture = detail::optional_string(*v, "architecture", kDoc, pp).value_or("");
  p.variant = detail::optional_string(*v, "variant", kDoc, pp).value_or("");
  return p;
}

void parse_index(const detail::JsonValue& doc, sdk::Manifest& m) {
  const detail::JsonValue* list = detail::find(doc, "manifests");
  if (list == nullptr || list->IsNull()) return;  // an empty index
  if (!list->IsArray())
    detail::shape_error(kDoc, "manifests",
                        "expected an array, found " + std::string(detail::type_name(*list)));
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    std::string path = detail::index("manifests", i);
    const detail::JsonValue& entry = (*list)[i];
    detail::require_object(entry, kDoc, path);
    sdk::Manifest::Child child;
    child.digest = digest_member(entry, path);
    child.media_type = detail::optional_string(entry, "mediaType", kDoc, path).value_or("");
    child.platform = platform_of(entry, path);
    m.children.push_back(std::move(child));
  }
}

void parse_image_manifest(const detail::JsonValue& doc, sdk::Manifest& m) {
  const detail::JsonValue* config = detail::optional_object(doc, "config", kDoc, "");
  if (config == nullptr) detail::shape_error(kDoc, "config", "missing");
  m.config_digest = digest_member(*config, "config");
}

}  // namespace

const std::string& manifest_accept_header() {
  static const std::string accept =
      std::string(media_type::oci_index) + ", " + std::string(media_type::docker_list) + ", " +
      std::string(media_type::oci_manifest) + ", " + std::string(media_type::docker_manifest);
  return accept;
}

bool is_index_media_type(std::string_view t) {
  return t == media_type::oci_index || t == media_type::docker_list;
}

bool is_supported_media_type(std::string_view t) {
  return is_index_media_type(t) || t == media_type::oci_manifest ||
         t == media_type::docker_manifest;
}

bool is_schema1_media_type(std::string_view t) {
  return t == media_type::docker_schema1 || t == media_type::docker_schema1_signed;
}

std::string bare_media_type(std::string_view content_type) {
  return detail::lower(detail::trim(content_type.substr(0, content_type.find(';'))));
}

sdk::Manifest parse_manifest(std::string_view body, std::string_view content_type) {
  std::string header_type = bare_media_type(content_type);
  if (is_schema1_media_type(header_type)) schema1(header_type);

  rapidjson::Document doc;
  detail::parse_json(doc, body);
  detail::require_object(doc, kDoc, "");

  const detail::JsonValue* version = detail::find(doc, "schemaVersion");
  if (version != nullptr && !version->IsNull()) {
    if (!version->IsInt64())
      detail::shape_error(kDoc, "schemaVersion",
                          "expected an integer, found " + std::string(detail::type_name(*version)));
    if (version->GetInt64() == 1) schema1(header_type.empty() ? "schemaVersion 1" : header_type);
    if (version->GetInt64() != 2)
      throw DocumentError(IU_STATUS_UNSUPPORTED, "a manifest with schemaVersion " +
                                                     std::to_string(version->GetInt64()) +
                                                     ", which is not supported");
  }

  sdk::Manifest m;
  if (auto declared = detail::optional_string(doc, "mediaType", kDoc, "")) {
    m.media_type = bare_media_type(*declared);
  } else if (is_supported_media_type(header_type)) {
    m.media_type = header_type;
  } else if (detail::find(doc, "manifests") != nullptr) {
    m.media_type = std::string(media_type::oci_index);
  } else if (detail::find(doc, "config") != nullptr) {
    m.media_type = std::string(media_type::oci_manifest);
  } else if (detail::find(doc, "fsLayers") != nullptr) {
    schema1("fsLayers without a media type");
  } else {
    detail::shape_error(kDoc, "", "no mediaType and neither manifests nor config");
  }
  if (is_schema1_media_type(m.media_type)) schema1(m.media_type);
  if (!is_supported_media_type(m.media_type))
    throw DocumentError(IU_STATUS_UNSUPPORTED, "a manifest of media type \"" + m.media_type +
                                                   "\", which is not supported (expected an "
                                                   "image index, manifest list or image "
                                                   "manifest)");
  m.is_index = is_index_media_type(m.media_type);
  if (m.is_index)
    parse_index(doc, m);
  else
    parse_image_manifest(doc, m);
  return m;
}

}  // namespace iu::dockerv2
