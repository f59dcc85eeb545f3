// Where the Kubernetes API is and how to authenticate to it: a kubeconfig file (its current
// context: server, CA, insecure-skip-tls-verify, bearer token or token file, client
// certificate) or the in-cluster service account of a pod.
//
// Contract: everything is read once, when loaded; a `token_file` is re-read by the client before
// every request, because projected service-account tokens rotate. Relative file paths of a
// kubeconfig are relative to the kubeconfig's own directory, as kubectl resolves them. Errors
// name the file and the field (`kubeconfig /x: users[0].user.client-key: cannot read ...`) and
// never quote a credential.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "kube/exec_credential.hpp"

namespace iu::kube {

inline constexpr std::string_view kServiceAccountDir =
    "/var/run/secrets/kubernetes.io/serviceaccount";

struct ClusterConfig {
  std::string server;      // e.g. https://127.0.0.1:6443 (no trailing slash)
  std::string ca_pem;      // CA certificates (PEM) trusted instead of the system roots; "" = roots
  bool insecure = false;   // insecure-skip-tls-verify
  std::string token;       // bearer token; never logged
  std::string token_file;  // read before each request when set (wins over `token`)
  std::string client_cert_pem, client_key_pem;  // client certificate authentication
  std::optional<ExecConfig> exec;  // credential plugin; its result wins over token/certificate
  std::string ns;                  // the context's (or the pod's) namespace; "" when unset
  std::string description;         // secret-free origin for messages: `kubeconfig /x (context y)`
};

// Reads `path` and selects `context` (empty: current-context). Throws std::runtime_error naming
// the file and field on any problem. An `exec` plugin is only described here; the client runs it.
ClusterConfig load_kubeconfig(const std::filesystem::path& path, std::string_view context = {});

// The pod's service account: `$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, `token`,
// `ca.crt` and `namespace` in `dir`. Throws std::runtime_error when not running in a cluster.
ClusterConfig in_cluster_config(const std::filesystem::path& dir = kServiceAccountDir);

// The `--kubeconfig` rule of SPEC §3.3: the given path when not empty, else in-cluster.
ClusterConfig load_cluster_config(const std::string& kubeconfig_flag);

}  // namespace iu::kube
