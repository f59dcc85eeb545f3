// Credential references (SPEC §8): the text users write in registries.conf `credentials`, an
// image's `pullSecret` and the `--credentials` flag. Parsing is a pure syntax check, done when
// configuration is loaded; whether the secret, variable or executable exists is only known when
// the reference is resolved (see resolver.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iu::credentials {

enum class RefKind {
  kPullSecret,  // pullsecret:<namespace>/<name>         Secret key `.dockerconfigjson`
  kSecret,      // secret:<namespace>/<name>#<field>     Secret field holding `user:password`
  kEnv,         // env:<VARIABLE>                        variable holding `user:password`
  kExt,         // ext:<absolute path>                   executable printing `user:password`
};

// A parsed reference. `text` is the reference exactly as written: it names the credential in
// every error and serves as its secret-free identity in cache keys.
struct CredentialRef {
  RefKind kind = RefKind::kEnv;
  std::string text;
  std::string ns;     // kPullSecret, kSecret: the Secret's namespace
  std::string name;   // kPullSecret, kSecret: the Secret's name
  std::string field;  // kSecret: the data key
  std::string env;    // kEnv: the variable's name
  std::string path;   // kExt: the executable's absolute path

  bool operator==(const CredentialRef&) const = default;
};

// Parses `ref`. On failure returns nullopt and sets *error (when given) to a message that quotes
// the reference and states the expected form, e.g.
//   invalid credential reference "secret:argocd/x": expected secret:<namespace>/<name>#<field>
// Namespaces and names must be Kubernetes names (lower-case DNS labels / subdomains), Secret
// fields Kubernetes data keys ([-._a-zA-Z0-9]+). An `ext:` path must be absolute; whether it is
// executable is checked when it runs.
std::optional<CredentialRef> parse_ref(std::string_view ref, std::string* error = nullptr);

// The source word of a kind: "pullsecret", "secret", "env" or "ext".
std::string_view kind_name(RefKind kind);

}  // namespace iu::credentials
