// Resolved credentials, the error every failed resolution throws, and the seam through which
// Kubernetes Secrets reach the resolver (implemented by the Kubernetes client elsewhere; tests
// use an in-memory double).
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace iu::credentials {

// A username/password pair for one registry request. `identity` is the reference text: stable
// and secret-free, used in cache keys and logs. Never log `username` or `password`.
struct Credential {
  std::string username;
  std::string password;
  std::string identity;

  bool operator==(const Credential&) const = default;
};

// A failed resolution. The message starts with the reference text (`env:REG_CREDS: variable is
// not set`) and never contains the secret value.
class CredentialError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A Kubernetes Secret by namespace and name.
struct SecretRef {
  std::string ns;
  std::string name;
};

// Read access to Kubernetes Secrets.
class SecretSource {
 public:
  virtual ~SecretSource() = default;
  // The Secret's data, values decoded from base64, or nullopt when the Secret does not exist.
  // Throws (any std::exception, with a secret-free message) on access errors such as a denied
  // or failed API request. Called from worker threads concurrently: must be thread-safe.
  virtual std::optional<std::map<std::string, std::string>> get(const SecretRef& ref) = 0;
};

}  // namespace iu::credentials
