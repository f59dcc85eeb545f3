// Test helpers around the fake registry plugin (fake_registry_plugin.cpp): a builder for its
// fixture file, the loaded catalog (fake registry + the bundled strategies) and the plugin's
// call counters.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "plugin_host/catalog.hpp"
#include "plugin_host/kinds.hpp"
#include "temp_dir.hpp"

namespace iu::test {

// The repositories a fake registry serves. Digests are made up (stable per name).
class FakeRegistryFixture {
 public:
  struct Platform {
    std::string os, arch, variant;
  };

  explicit FakeRegistryFixture(std::filesystem::path file) : file_(std::move(file)) {}

  // A single-platform image: its manifest and config; returns the manifest digest.
  std::string image(const std::string& name, const std::string& created,
                    Platform p = {"linux", "amd64", ""},
                    std::map<std::string, std::string> labels = {});
  // An index over existing images (by their manifest digests); returns the index digest.
  std::string index(const std::string& name, const std::vector<std::string>& children);
  // Points repo:tag at a manifest digest (appends the tag to the listing or moves it).
  void tag(const std::string& repo, const std::string& tag, const std::string& digest);
  void untag(const std::string& repo, const std::string& tag);
  void require_password(const std::string& password) { password_ = password; }

  // Writes the file (call after every change the plugin should see).
  void write() const;
  const std::filesystem::path& file() const { return file_; }

 private:
  struct Manifest {
    std::string media_type, config;
    std::vector<std::string> children;
  };
  struct Config {
    std::string created;
    Platform platform;
    std::map<std::string, std::string> labels;
  };
  std::filesystem::path file_;
  std::string password_;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> repos_;
  std::map<std::string, Manifest> manifests_;
  std::map<std::string, Config> configs_;
  std::map<std::string, Platform> platforms_;  // manifest digest -> its platform
};

// A made-up digest for a name: "sha256:" + 64 hex characters.
std::string fake_digest(const std::string& name);

// Catalog with the fake registry plugin and the bundled strategies loaded from their files.
plugin_host::Catalog& test_catalog();

// A fake registry instance serving `fixture`.
std::unique_ptr<plugin_host::RegistryInstance> fake_instance(
    const std::filesystem::path& fixture, const std::string& tagsortmode = "none");

// Calls the fake plugin answered so far, by op (see fake_registry_plugin.cpp).
double fake_calls(const std::string& op);

// Snapshot of all counters, for "what did this pass cost" assertions.
struct CallCounts {
  double list_tags = 0, manifest_get = 0, manifest_head = 0, config = 0, unauthenticated = 0;
  static CallCounts now();
  CallCounts operator-(const CallCounts& o) const;
};

}  // namespace iu::test
