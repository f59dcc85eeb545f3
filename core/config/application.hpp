// Argo CD Applications and Kubernetes Secrets as the configuration model sees them.
//
// An Application keeps what later stages need (SPEC §9.1): its sources with their Helm
// parameters, Kustomize images and plugin env, the hydrator's dry source, the source types
// Argo CD reported, and the images it currently runs (status.summary.images). The parsed
// document itself is kept too, for the write-back that edits the object.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/issue.hpp"
#include "config/label_selector.hpp"

namespace YAML {
class Node;
}

namespace iu::config {

struct HelmParameter {
  std::string name;
  std::string value;
  bool force_string = false;
};

struct PluginEnvEntry {
  std::string name;
  std::string value;
};

// One entry of spec.source, spec.sources[] or spec.sourceHydrator.drySource.
struct ApplicationSource {
  std::string field;  // `spec.source`, `spec.sources[1]`, `spec.sourceHydrator.drySource`
  std::string repo_url;
  std::string path;
  std::string target_revision;
  std::string chart;           // Helm chart repositories only
  bool has_helm = false;       // an explicit `helm:` block
  bool has_kustomize = false;  // an explicit `kustomize:` block
  bool has_plugin = false;     // an explicit `plugin:` block
  std::vector<HelmParameter> helm_parameters;
  std::vector<std::string> kustomize_images;  // `[<name>=]<name>:<tag>[@digest]` entries
  std::vector<PluginEnvEntry> plugin_env;
};

struct Application {
  ObjectRef ref;
  Labels labels;
  Labels annotations;
  std::string project;  // spec.project ("default" when unset)
  // spec.source as a single entry, or spec.sources[] in order (multi_source true).
  std::vector<ApplicationSource> sources;
  bool multi_source = false;
  std::optional<ApplicationSource> dry_source;  // spec.sourceHydrator.drySource
  // status.sourceType (one entry) or status.sourceTypes[] (one per source), e.g. "Helm".
  std::vector<std::string> source_types;
  std::vector<std::string> live_images;  // status.summary.images, as reported
  // The parsed document (for write-back); shared, never modified. Null when not kept.
  std::shared_ptr<const YAML::Node> document;
  std::size_t document_index = 0;  // `dir` source: position of the document in its file
  // Problems that make the application unusable (scope kApplication).
  std::vector<ConfigIssue> errors;

  bool valid() const { return errors.empty(); }
};

struct Secret {
  ObjectRef ref;
  std::string type;  // e.g. "kubernetes.io/dockerconfigjson"
  Labels labels;
  // `data` decoded from base64, overlaid by `stringData` (as the API server merges them).
  std::map<std::string, std::string, std::less<>> data;
};

}  // namespace iu::config
