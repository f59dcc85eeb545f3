// The `dir` configuration source (SPEC §4.3): Kubernetes manifests from a directory tree, for CI
// pipelines and demos without a cluster.
//
// load() walks the tree recursively in lexical order, skipping hidden directories (`.git`, …)
// and never following symbolic links (neither to files nor to directories). Every `*.yaml` /
// `*.yml` file is read as a multi-document stream; Applications, ImageUpdaters and Secrets are
// kept, other documents ignored. A file with a YAML syntax error is reported as
// `file:line:col: message` and skipped as a whole; the other files still count. Objects defined
// twice (same kind, namespace and name) are all rejected, naming every place they appear.
// Unknown fields of ImageUpdaters are errors here (no API server prunes them). Each list of the
// snapshot is sorted by (namespace, name).
//
// Stateless: call load() at the start of every pass to pick up changes.
#pragma once

#include <filesystem>
#include <string>

#include "config/snapshot.hpp"

namespace iu::config {

class DirSource {
 public:
  // `argocd_namespace` is the namespace of documents without metadata.namespace.
  DirSource(std::filesystem::path root, std::string argocd_namespace = "argocd");

  // Reads the tree. Throws std::runtime_error when the root is not a readable directory; every
  // other problem is reported in Snapshot::issues (or inside the objects).
  Snapshot load() const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  std::string argocd_namespace_;
};

}  // namespace iu::config
