// The `crd` and `annotations` configuration sources (SPEC §4.1, §4.2) over the Kubernetes API:
// the same config::Snapshot the `dir` source builds, from list responses.
//
//  * crd: ImageUpdaters (argocd-image-updater.argoproj.io/v1alpha1) and Applications
//    (argoproj.io/v1alpha1) of the watched namespaces; CR fields the API server would prune
//    are not errors here (ParseOptions::strict = false).
//  * annotations: Applications only, filtered server-side by --match-application-label;
//    resolve() applies the image-list and name rules.
//  * both: Argo CD repository Secrets of the Argo CD namespace (label
//    argocd.argoproj.io/secret-type), for git write-back credentials; a denied list is a
//    warning, not a failure. Secrets named by `git:secret:` write-back methods (of the CRs and
//    of the apps' write-back-method annotations) are read one by one. Image pull secrets are
//    read on demand (KubeSecretSource).
// Each list is sorted by (namespace, name). API errors other than the Secret listing throw
// ApiError: the pass cannot know its fleet, so it must not pretend to.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/resolve.hpp"
#include "config/snapshot.hpp"
#include "kube/client.hpp"

namespace iu::kube {

inline constexpr std::string_view kImageUpdaterGV = "argocd-image-updater.argoproj.io/v1alpha1";

struct SourceOptions {
  config::SourceKind kind = config::SourceKind::kCrd;
  std::string argocd_namespace = "argocd";
  std::vector<std::string> namespaces;     // watched namespaces; empty = all (`*`)
  std::string application_label_selector;  // annotations: --match-application-label
};

// API facts about a listed object that the configuration model does not keep.
struct ObjectInfo {
  std::string uid;
  std::string resource_version;
  std::string status_json;  // the object's `status` as JSON text ("" when absent)
};

struct KubeSnapshot {
  config::Snapshot snapshot;
  std::map<std::string, ObjectInfo> objects;  // by object_key()
};

// "Kind/namespace/name".
std::string object_key(std::string_view kind, std::string_view ns, std::string_view name);

KubeSnapshot load_snapshot(const Client& client, const SourceOptions& options);

// --watch-namespaces: "" = {own}, "*" = {} (all namespaces), else the comma-separated names
// (trimmed, empty items dropped, duplicates removed).
std::vector<std::string> parse_watch_namespaces(const std::string& flag, const std::string& own);

}  // namespace iu::kube
