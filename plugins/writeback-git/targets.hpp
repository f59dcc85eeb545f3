// Where an intent writes and in which format (SPEC §9.5, §9.1):
//
//   write_back_target           file                                          format
//   ""                          <source>/.argocd-source-<app>.yaml (*)        override file
//   kustomization[:<dir>]       kustomization.yaml|.yml|Kustomization in      kustomize images
//                               <source> | <source>/<dir> | /<dir> (root)
//   helmvalues[:<file>]         <source>/values.yaml | <source>/<file> |      helm values
//                               /<file> (root)
//   any other path              <source>/<path> or /<path> (root)             override file
//
//   (*) .argocd-source-<appNamespace>_<app>.yaml when the application namespace is set, differs
//       from the Argo CD namespace, and the Argo CD namespace is not "default".
//
// Paths are repository-relative, '/'-separated, without "." or ".." segments.
#pragma once

#include <string>
#include <vector>

#include "settings.hpp"

namespace iu::gitwb {

enum class TargetFormat { kOverride, kKustomize, kHelmValues };

// The section of an override file a change is written to.
enum class OverrideLayout { kHelm, kKustomize, kPlugin };

struct Target {
  TargetFormat format = TargetFormat::kOverride;
  // Files to try in order; the first that exists is the target. Only kustomize targets list
  // several; when none exists a kustomize target is an error, the others create candidates[0].
  std::vector<std::string> candidates;
  // The override file section: decided by source type and write-back target (SPEC §9.1).
  OverrideLayout layout = OverrideLayout::kHelm;
};

// Throws iu::sdk::Error(INVALID_ARGUMENT) naming the write_back_target setting for a target
// that leaves the repository, a custom path ending in kustomization.yaml, or an unsupported
// source type.
Target resolve_target(const Intent& intent);

// The override-file layout of one change: Plugin applications use plugin.env only when the
// change has a plugin target (plugin.spec / plugin.name / plugin.tag), otherwise Helm.
OverrideLayout layout_for(const Target& target, const Change& change);

// Joins repository-relative paths: a leading '/' in `rel` starts from the root; "." segments
// are dropped and ".." pops (throws std::invalid_argument when it would leave the root).
std::string join_repo_path(const std::string& base, const std::string& rel);

}  // namespace iu::gitwb
