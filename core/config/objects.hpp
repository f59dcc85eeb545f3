// Reading Kubernetes objects into the configuration model. Used by the sources: the `dir` source
// passes the documents of its files, the Kubernetes API source the items of its list responses
// (JSON is YAML, so `YAML::Load(json_text)` gives the node). This header includes yaml-cpp; the
// model headers do not.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "config/application.hpp"
#include "config/image_updater.hpp"
#include "config/issue.hpp"

namespace iu::config {

// The kinds a source recognises (SPEC §4.3): `argoproj.io/v1alpha1 Application`,
// `argocd-image-updater.argoproj.io/v1alpha1 ImageUpdater` and `v1 Secret`.
enum class DocumentKind { kOther, kApplication, kImageUpdater, kSecret };
DocumentKind classify(const YAML::Node& document);

struct ParseOptions {
  std::string default_namespace = "argocd";  // for a missing metadata.namespace
  // Unknown fields are errors (`dir` source). The API server prunes them from CRs, so the
  // Kubernetes source may turn this off.
  bool strict = true;
  std::string file;  // `dir` source: the file, used in locations
  std::size_t document_index = 0;
  bool keep_document = true;  // Application: keep the node for write-back
};

// Each parser returns std::nullopt, with an issue in `*issues`, when the document cannot name an
// object (metadata or metadata.name missing or invalid). Otherwise the object is returned and
// its own problems are inside it (ImageUpdater::errors, Application::errors); for a Secret,
// undecodable data is reported in `*issues` and the Secret is dropped.
std::optional<ImageUpdater> parse_image_updater(const YAML::Node& document,
                                                const ParseOptions& options,
                                                std::vector<ConfigIssue>* issues);
std::optional<Application> parse_application(const YAML::Node& document,
                                             const ParseOptions& options,
                                             std::vector<ConfigIssue>* issues);
std::optional<Secret> parse_secret(const YAML::Node& document, const ParseOptions& options,
                                   std::vector<ConfigIssue>* issues);

}  // namespace iu::config
