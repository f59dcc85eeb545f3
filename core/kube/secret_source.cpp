#include "kube/secret_source.hpp"

#include <rapidjson/document.h>

#include "credentials/docker_config.hpp"

namespace iu::kube {

std::optional<std::map<std::string, std::string>> KubeSecretSource::get(
    const credentials::SecretRef& ref) {
  const std::string what = "Secret " + ref.ns + "/" + ref.name;
  std::optional<std::string> body;
  try {
    body = client_.get_if_exists(resource_path("v1", "secrets", ref.ns, ref.name));
  } catch (const ApiError& e) {
    throw std::runtime_error(what + ": " + e.what());
  }
  if (!body) return std::nullopt;
  rapidjson::Document d;
  d.Parse(body->data(), body->size());
  if (d.HasParseError() || !d.IsObject()) throw std::runtime_error(what + ": not a JSON object");
  std::map<std::string, std::string> out;
  if (d.HasMember("data") && d["data"].IsObject()) {
    for (const auto& m : d["data"].GetObject()) {
      const std::string key = m.name.GetString();
      if (!m.value.IsString())
        throw std::runtime_error(what + ": data[\"" + key + "\"]: not a string");
      auto decoded = credentials::decode_base64({m.value.GetString(), m.value.GetStringLength()});
      // Never quote the value: it is secret.
      if (!decoded) throw std::runtime_error(what + ": data[\"" + key + "\"]: invalid base64");
      out[key] = std::move(*decoded);
    }
  }
  return out;
}

}  // namespace iu::kube
