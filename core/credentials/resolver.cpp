#include "credentials/resolver.hpp"

#include <cstdlib>

#include "credentials/docker_config.hpp"

namespace iu::credentials {
namespace {

[[noreturn]] void fail(std::string_view ref, const std::string& what) {
  throw CredentialError(std::string(ref) + ": " + what);
}

std::string_view drop_line_ending(std::string_view v) {
  if (!v.empty() && v.back() == '\n') v.remove_suffix(1);
  if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
  return v;
}

std::string secret_name(const CredentialRef& ref) { return "Secret " + ref.ns + "/" + ref.name; }

}  // namespace

Credential split_user_password(std::string_view value, std::string_view ref_text,
                               std::string_view what) {
  size_t colon = value.find(':');
  if (colon == std::string_view::npos)
    fail(ref_text, std::string(what) + " is not in the form user:password");
  return Credential{std::string(value.substr(0, colon)), std::string(value.substr(colon + 1)),
                    std::string(ref_text)};
}

Resolver::Resolver(std::shared_ptr<SecretSource> secrets, ResolverOptions options)
    : secrets_(std::move(secrets)), options_(options) {}

Credential Resolver::resolve(std::string_view ref, std::string_view registry_host,
                             std::string_view repository) const {
  std::string error;
  auto parsed = parse_ref(ref, &error);
  if (!parsed) throw CredentialError(error);
  return resolve(*parsed, registry_host, repository);
}

std::map<std::string, std::string> Resolver::secret_data(const CredentialRef& ref) const {
  if (!secrets_)
    fail(ref.text, "Kubernetes Secrets are not available (no Kubernetes client configured)");
  std::optional<std::map<std::string, std::string>> data;
  try {
    data = secrets_->get(SecretRef{ref.ns, ref.name});
  } catch (const std::exception& e) {
    fail(ref.text, "cannot read " + secret_name(ref) + ": " + e.what());
  }
  if (!data) fail(ref.text, secret_name(ref) + " not found");
  return std::move(*data);
}

Credential Resolver::resolve(const CredentialRef& ref, std::string_view registry_host,
                             std::string_view repository) const {
  switch (ref.kind) {
    case RefKind::kEnv: {
      const char* value = std::getenv(ref.env.c_str());
      if (value == nullptr) fail(ref.text, "environment variable " + ref.env + " is not set");
      return split_user_password(drop_line_ending(value), ref.text,
                                 "environment variable " + ref.env);
    }
    case RefKind::kExt: {
      std::string line = run_credential_helper(ref.path, ref.text, options_.helper);
      return split_user_password(line, ref.text, "the first output line");
    }
    case RefKind::kSecret: {
      auto data = secret_data(ref);
      auto it = data.find(ref.field);
      if (it == data.end())
        fail(ref.text, secret_name(ref) + " has no field \"" + ref.field + "\"");
      return split_user_password(drop_line_ending(it->second), ref.text,
                                 "field \"" + ref.field + "\" of " + secret_name(ref));
    }
    case RefKind::kPullSecret: {
      auto data = secret_data(ref);
      auto it = data.find(".dockerconfigjson");
      if (it == data.end()) fail(ref.text, secret_name(ref) + " has no \".dockerconfigjson\" key");
      return credential_from_docker_config(it->second, registry_host, repository, ref.text);
    }
  }
  fail(ref.text, "unsupported credential source");
}

}  // namespace iu::credentials
