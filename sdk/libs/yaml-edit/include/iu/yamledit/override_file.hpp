// The Argo CD parameter override file `.argocd-source-<app>.yaml` as a write-back target
// (SPEC.md §9.5): `helm.parameters`, `kustomize.images` and `plugin.env`.
//
// Only managed entries are touched, everything else in the file is preserved. Each function
// upserts a batch: existing entries (matched by name, or by image key for Kustomize) are updated
// in place, the others are appended sorted by name. A file whose text is empty or whitespace is
// generated anew with 2-space indentation, sequences not indented under their key, entries
// sorted by name and values quoted only where SPEC.md §9.6 requires it:
//
//   helm:
//     parameters:
//     - name: image.name
//       value: ghcr.io/acme/shop-api
//       forcestring: true
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "iu/yamledit/document.hpp"

namespace iu::yamledit {

struct HelmParameter {
  std::string name;
  std::string value;
  // Writes `forcestring: true`; when false the entry's `forcestring` is neither written nor
  // changed.
  bool force_string = true;
};

// Upserts `helm.parameters` entries by `name`. Returns whether the bytes changed.
bool set_override_helm_parameters(Document& doc, std::vector<HelmParameter> parameters);

// The key that identifies a Kustomize image entry `[alias=]name[:tag][@digest]`: the text before
// `=` when there is one, else the name without tag and digest (a registry port is kept:
// `host:5000/app:1` → `host:5000/app`).
std::string kustomize_image_key(std::string_view image);

// Upserts `kustomize.images` entries (`[alias=]name:tag[@digest]` strings); an entry replaces
// the one with the same kustomize_image_key(). Returns whether the bytes changed.
bool set_override_kustomize_images(Document& doc, std::vector<std::string> images);

struct PluginEnv {
  std::string name;
  std::string value;
};

// Upserts `plugin.env` entries by `name`. Returns whether the bytes changed.
bool set_override_plugin_env(Document& doc, std::vector<PluginEnv> env);

}  // namespace iu::yamledit
