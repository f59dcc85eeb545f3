// A registry plugin for tests (registry/fake): it serves repositories described by a JSON file
// and counts every call it answers in the host metric
//   fake_registry_calls_total{op}   op = list_tags | manifest_get | manifest_head | config |
//                                        unauthenticated (refused for a wrong password)
// so tests can assert what a check cost. The file is read on every call, so a test can change
// the registry (re-push a tag, delete one) between passes. Its path is the `fixture` config key,
// or the endpoint's display `name` when that key is empty (instances made by the service).
//
// File format:
//   { "password": "…",                      optional: required password, else UNAUTHENTICATED
//     "repositories": { "org/app": [["1.0", "sha256:m1"], ...] },    listing order
//     "manifests": { "sha256:m1": { "mediaType": "…", "config": "sha256:c1",
//                                   "children": [["sha256:m2", "linux", "amd64", ""]] } },
//     "configs": { "sha256:c1": { "created": "…", "platform": ["linux", "amd64", ""],
//                                 "labels": {"k": "v"} } } }
// A manifest with "children" is an index.
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

#include "iu/plugin.hpp"

namespace {

using iu::sdk::Call;
using iu::sdk::Error;

class FakeRegistry final : public iu::sdk::Registry {
 public:
  explicit FakeRegistry(Call& call) {
    path_ = call.config("fixture").value_or("");
    if (path_.empty()) path_ = call.config("name").value_or("");
    if (path_.empty()) throw Error(IU_STATUS_INVALID_ARGUMENT, "fake registry: no fixture file");
    calls_ = iu::sdk::host_api()->metric_declare(
        call.raw(), IU_METRIC_COUNTER, iu::sdk::str("fake_registry_calls_total"),
        iu::sdk::str("calls answered by the fake registry plugin"), iu::sdk::str("op"));
  }

  void list_tags(Call& call, const iu::sdk::RepoRequest& req, iu::sdk::TagSink& out) override {
    auto doc = load(call, req, "list_tags");
    const auto& repo = repository(doc, req);
    for (const auto& t : repo.GetArray()) out.put(t[0].GetString());
  }

  iu::sdk::Manifest get_manifest(Call& call, const iu::sdk::RepoRequest& req,
                                 std::string_view reference, uint32_t flags) override {
    const bool head = (flags & IU_MANIFEST_HEAD_ONLY) != 0;
    auto doc = load(call, req, head ? "manifest_head" : "manifest_get");
    std::string digest(reference);
    if (reference.find(':') == std::string_view::npos) {
      digest.clear();
      for (const auto& t : repository(doc, req).GetArray())
        if (reference == t[0].GetString()) digest = t[1].GetString();
      if (digest.empty())
        throw Error(IU_STATUS_NOT_FOUND, "manifest unknown: " + std::string(reference));
    }
    auto m = doc["manifests"].FindMember(digest.c_str());
    if (m == doc["manifests"].MemberEnd())
      throw Error(IU_STATUS_NOT_FOUND, "no manifest " + digest);
    iu::sdk::Manifest out;
    out.digest = digest;
    out.media_type = m->value["mediaType"].GetString();
    if (head) return out;
    if (m->value.HasMember("children")) {
      out.is_index = true;
      for (const auto& c : m->value["children"].GetArray())
        out.children.push_back({c[0].GetString(),
                                "application/vnd.oci.image.manifest.v1+json",
                                {c[1].GetString(), c[2].GetString(), c[3].GetString()}});
    } else {
      out.config_digest = m->value["config"].GetString();
    }
    return out;
  }

  iu::sdk::ImageConfig get_image_config(Call& call, const iu::sdk::RepoRequest& req,
                                        std::string_view digest) override {
    auto doc = load(call, req, "config");
    auto c = doc["configs"].FindMember(std::string(digest).c_str());
    if (c == doc["configs"].MemberEnd())
      throw Error(IU_STATUS_NOT_FOUND, "no config blob " + std::string(digest));
    iu::sdk::ImageConfig out;
    out.created = c->value["created"].GetString();
    const auto& p = c->value["platform"];
    out.platform = {p[0].GetString(), p[1].GetString(), p[2].GetString()};
    for (const auto& l : c->value["labels"].GetObject())
      out.labels.emplace_back(l.name.GetString(), l.value.GetString());
    return out;
  }

 private:
  rapidjson::Document load(Call& call, const iu::sdk::RepoRequest& req, const char* op) {
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(text.str().c_str());
    if (doc.HasParseError() || !doc.IsObject())
      throw Error(IU_STATUS_INTERNAL, "fake registry: cannot read " + path_);
    if (doc.HasMember("password") && req.password != doc["password"].GetString()) {
      iu::sdk::host_api()->metric_update(call.raw(), calls_, iu::sdk::str("unauthenticated"), 1);
      throw Error(IU_STATUS_UNAUTHENTICATED, "fake registry: wrong password");
    }
    iu::sdk::host_api()->metric_update(call.raw(), calls_, iu::sdk::str(op), 1);
    return doc;
  }

  static const rapidjson::Value& repository(const rapidjson::Document& doc,
                                            const iu::sdk::RepoRequest& req) {
    auto it = doc["repositories"].FindMember(std::string(req.repository).c_str());
    if (it == doc["repositories"].MemberEnd())
      throw Error(IU_STATUS_NOT_FOUND, "repository unknown: " + std::string(req.repository));
    return it->value;
  }

  std::string path_;
  uint64_t calls_ = 0;
};

}  // namespace

IU_PLUGIN("test-fake-registry", "1.0.0",
          (iu::sdk::registry_factory<FakeRegistry>(
              "fake", iu::sdk::FactoryOptions{
                          "registry served from a JSON file, for tests",
                          IU_FACTORY_CONCURRENT,
                          {{IU_CONFIG_STRING, "fixture", "", false, "path of the JSON file"}},
                          {}})))
