// kubeconfig `users[].user.exec` credential plugins (client.authentication.k8s.io): the command
// is run with its args and extra env (inherited environment plus KUBERNETES_EXEC_INFO), without
// a shell, stdin closed, in its own process group, for at most 10 s and 64 KiB of output. Its
// stdout is an ExecCredential whose status gives a token or a client certificate and key, and
// optionally an expirationTimestamp.
//
// Errors name the kubeconfig field and quote at most 1 KiB of the plugin's stderr — never its
// stdout, which holds the credential.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace iu::kube {

struct ExecConfig {
  std::string api_version;  // e.g. client.authentication.k8s.io/v1
  std::string command;      // a bare name is looked up in PATH
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string where;  // `kubeconfig /x: users[0].user.exec`, for messages
};

struct ExecResult {
  std::string token;
  std::string client_cert_pem, client_key_pem;
  std::optional<std::chrono::system_clock::time_point> expires;
};

// Runs the plugin once. Throws std::runtime_error.
ExecResult run_exec_plugin(const ExecConfig& config);

}  // namespace iu::kube
