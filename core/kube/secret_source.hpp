// Kubernetes Secrets for `secret:` and `pullsecret:` credential references (SPEC §8), read from
// the API on demand. The namespace rules (crd mode: the CR's namespace) are checked where the
// reference is parsed (config::resolve); this class only reads.
#pragma once

#include "credentials/credential.hpp"
#include "kube/client.hpp"

namespace iu::kube {

class KubeSecretSource : public credentials::SecretSource {
 public:
  explicit KubeSecretSource(const Client& client) : client_(client) {}
  // GET /api/v1/namespaces/<ns>/secrets/<name>; `data` decoded from base64. nullopt on 404;
  // other API errors throw with a secret-free message naming the Secret.
  std::optional<std::map<std::string, std::string>> get(const credentials::SecretRef& ref) override;

 private:
  const Client& client_;
};

}  // namespace iu::kube
