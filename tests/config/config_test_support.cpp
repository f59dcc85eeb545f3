#include "config_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace iu::config::testing {

std::filesystem::path testdata(const std::string& rel) {
  return std::filesystem::path(IU_CONFIG_TESTDATA) / rel;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

Snapshot snapshot_from_text(const std::string& text) {
  Snapshot out;
  const std::vector<YAML::Node> documents = YAML::LoadAll(text);
  ParseOptions options;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    options.document_index = i;
    switch (classify(documents[i])) {
      case DocumentKind::kApplication:
        if (auto app = parse_application(documents[i], options, &out.issues))
          out.applications.push_back(std::move(*app));
        break;
      case DocumentKind::kImageUpdater:
        if (auto cr = parse_image_updater(documents[i], options, &out.issues))
          out.updaters.push_back(std::move(*cr));
        break;
      case DocumentKind::kSecret:
        if (auto secret = parse_secret(documents[i], options, &out.issues))
          out.secrets.push_back(std::move(*secret));
        break;
      case DocumentKind::kOther:
        break;
    }
  }
  return out;
}

Snapshot snapshot_from_file(const std::string& rel) {
  return snapshot_from_text(read_text(testdata(rel)));
}

std::vector<std::string> texts(const std::vector<ConfigIssue>& issues) {
  std::vector<std::string> out;
  for (const ConfigIssue& issue : issues) out.push_back(issue.what());
  return out;
}

std::vector<std::string> texts(const std::vector<ConfigIssue>& issues, Severity severity) {
  std::vector<std::string> out;
  for (const ConfigIssue& issue : issues)
    if (issue.severity == severity) out.push_back(issue.what());
  return out;
}

const ImageUpdater& updater(const Snapshot& snapshot, const std::string& name) {
  for (const ImageUpdater& cr : snapshot.updaters)
    if (cr.ref.name == name) return cr;
  ADD_FAILURE() << "no ImageUpdater named " << name;
  throw std::runtime_error("no ImageUpdater named " + name);
}

const ManagedApplication* managed(const std::vector<ManagedApplication>& apps,
                                  const std::string& ns, const std::string& name) {
  for (const ManagedApplication& m : apps)
    if (m.app->ref.ns == ns && m.app->ref.name == name) return &m;
  return nullptr;
}

}  // namespace iu::config::testing
