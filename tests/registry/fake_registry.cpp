#include "fake_registry.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>

#include "metrics/registry.hpp"
#include "plugin_host/loader.hpp"

namespace iu::test {

std::string fake_digest(const std::string& name) {
  // FNV-1a stretched to 64 hex digits: stable and distinct enough for tests.
  std::string hex;
  uint64_t h = 1469598103934665603ull;
  for (int round = 0; hex.size() < 64; ++round) {
    for (char c : name + std::to_string(round)) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    hex += buf;
  }
  return "sha256:" + hex.substr(0, 64);
}

std::string FakeRegistryFixture::image(const std::string& name, const std::string& created,
                                       Platform p, std::map<std::string, std::string> labels) {
  const std::string config = fake_digest("config/" + name);
  const std::string digest = fake_digest("manifest/" + name);
  configs_[config] = Config{created, p, std::move(labels)};
  manifests_[digest] = Manifest{"application/vnd.oci.image.manifest.v1+json", config, {}};
  platforms_[digest] = p;
  return digest;
}

std::string FakeRegistryFixture::index(const std::string& name,
                                       const std::vector<std::string>& children) {
  const std::string digest = fake_digest("index/" + name);
  manifests_[digest] = Manifest{"application/vnd.oci.image.index.v1+json", "", children};
  return digest;
}

void FakeRegistryFixture::tag(const std::string& repo, const std::string& tag,
                              const std::string& digest) {
  auto& tags = repos_[repo];
  for (auto& [t, d] : tags)
    if (t == tag) {
      d = digest;
      return;
    }
  tags.emplace_back(tag, digest);
}

void FakeRegistryFixture::untag(const std::string& repo, const std::string& tag) {
  std::erase_if(repos_[repo], [&](const auto& td) { return td.first == tag; });
}

void FakeRegistryFixture::write() const {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&w](const std::string& s) { w.String(s.c_str(), static_cast<unsigned>(s.size())); };
  w.StartObject();
  if (!password_.empty()) {
    w.Key("password");
    str(password_);
  }
  w.Key("repositories");
  w.StartObject();
  for (const auto& [repo, tags] : repos_) {
    str(repo);
    w.StartArray();
    for (const auto& [t, d] : tags) {
      w.StartArray();
      str(t);
      str(d);
      w.EndArray();
    }
    w.EndArray();
  }
  w.EndObject();
  w.Key("manifests");
  w.StartObject();
  for (const auto& [digest, m] : manifests_) {
    str(digest);
    w.StartObject();
    w.Key("mediaType");
    str(m.media_type);
    if (m.config.empty()) {
      w.Key("children");
      w.StartArray();
      for (const auto& c : m.children) {
        const Platform& p = platforms_.at(c);
        w.StartArray();
        for (const auto* s : {&c, &p.os, &p.arch, &p.variant}) str(*s);
        w.EndArray();
      }
      w.EndArray();
    } else {
      w.Key("config");
      str(m.config);
    }
    w.EndObject();
  }
  w.EndObject();
  w.Key("configs");
  w.StartObject();
  for (const auto& [digest, c] : configs_) {
    str(digest);
    w.StartObject();
    w.Key("created");
    str(c.created);
    w.Key("platform");
    w.StartArray();
    for (const auto* s : {&c.platform.os, &c.platform.arch, &c.platform.variant}) str(*s);
    w.EndArray();
    w.Key("labels");
    w.StartObject();
    for (const auto& [k, v] : c.labels) {
      str(k);
      str(v);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  // Replace atomically: a plugin call may read the file at any moment.
  const auto tmp = file_.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << buf.GetString();
  }
  std::filesystem::rename(tmp, file_);
}

plugin_host::Catalog& test_catalog() {
  static plugin_host::Catalog* catalog = [] {
    auto* c = new plugin_host::Catalog();
    if (plugin_host::load_file(IU_FAKE_REGISTRY_PLUGIN, *c) != 1 ||
        plugin_host::load_file(IU_STRATEGIES_PLUGIN, *c) == 0)
      throw std::runtime_error("cannot load the test plugins");
    return c;
  }();
  return *catalog;
}

std::unique_ptr<plugin_host::RegistryInstance> fake_instance(const std::filesystem::path& fixture,
                                                             const std::string& tagsortmode) {
  const auto& impl = test_catalog().resolve(plugin_host::Kind::registry, "fake");
  plugin_host::ConfigMap config{{"fixture", fixture.string()},
                                {"api_url", "http://fake.test"},
                                {"prefix", "fake.test"},
                                {"name", "fake"},
                                {"defaultns", ""},
                                {"insecure", "false"},
                                {"tagsortmode", tagsortmode}};
  return std::make_unique<plugin_host::RegistryInstance>(impl, config, "fake.test");
}

double fake_calls(const std::string& op) {
  return metrics::Registry::global().value("fake_registry_calls_total", {op}).value_or(0);
}

CallCounts CallCounts::now() {
  return CallCounts{fake_calls("list_tags"), fake_calls("manifest_get"),
                    fake_calls("manifest_head"), fake_calls("config"),
                    fake_calls("unauthenticated")};
}

CallCounts CallCounts::operator-(const CallCounts& o) const {
  return CallCounts{list_tags - o.list_tags, manifest_get - o.manifest_get,
                    manifest_head - o.manifest_head, config - o.config,
                    unauthenticated - o.unauthenticated};
}

}  // namespace iu::test
