#include "config/write_back.hpp"

#include "config/k8s_names.hpp"

namespace iu::config {
namespace {

template <class T>
std::optional<T> fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return std::nullopt;
}

bool is_plugin_name(std::string_view s) {
  if (s.empty() ||
      !((s.front() >= 'a' && s.front() <= 'z') || (s.front() >= '0' && s.front() <= '9')))
    return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
      return false;
  return true;
}

std::string_view basename(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::optional<WriteBackMethod> parse_write_back_method(std::string_view text, std::string* error) {
  const std::string quoted = "invalid write-back method \"" + std::string(text) + "\": ";
  WriteBackMethod out;
  out.text = std::string(text);
  const std::size_t colon = text.find(':');
  out.plugin = std::string(text.substr(0, colon));
  const std::string_view arg =
      colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (!is_plugin_name(out.plugin))
    return fail<WriteBackMethod>(
        error, quoted +
                   "expected argocd, git, git:repocreds, git:secret:[<namespace>/]<name> "
                   "or <plugin>[:<argument>]");
  if (out.plugin == "argocd") {
    if (colon != std::string_view::npos)
      return fail<WriteBackMethod>(error, quoted + "argocd takes no argument");
    return out;
  }
  if (out.plugin != "git") {
    out.plugin_argument = std::string(arg);
    return out;
  }
  const std::string git_forms = "expected git, git:repocreds or git:secret:[<namespace>/]<name>";
  if (colon == std::string_view::npos || arg == "repocreds") return out;
  if (arg.substr(0, 7) != "secret:") return fail<WriteBackMethod>(error, quoted + git_forms);
  out.git_credentials = WriteBackMethod::GitCredentials::kSecret;
  std::string_view ref = arg.substr(7);
  if (const std::size_t slash = ref.find('/'); slash != std::string_view::npos) {
    out.secret_namespace = std::string(ref.substr(0, slash));
    if (!k8s::is_dns_label(out.secret_namespace))
      return fail<WriteBackMethod>(error, quoted + "namespace \"" + out.secret_namespace +
                                              "\" is not a valid Kubernetes namespace");
    ref = ref.substr(slash + 1);
  }
  out.secret_name = std::string(ref);
  if (!k8s::is_dns_subdomain(out.secret_name))
    return fail<WriteBackMethod>(
        error, quoted + "Secret name \"" + out.secret_name + "\" is not a valid Kubernetes name");
  return out;
}

std::optional<BranchSpec> parse_branch(std::string_view text, std::string* error) {
  if (text.empty()) return fail<BranchSpec>(error, "must not be empty");
  BranchSpec out;
  const std::size_t colon = text.find(':');
  out.base = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) {
    out.target = std::string(text.substr(colon + 1));
    if (out.target.empty())
      return fail<BranchSpec>(error, "invalid branch \"" + std::string(text) +
                                         "\": expected <base>, <base>:<target> or :<target>");
  }
  return out;
}

std::optional<WriteBackTarget> parse_write_back_target(std::string_view text, std::string* error) {
  if (text.empty()) return fail<WriteBackTarget>(error, "must not be empty");
  WriteBackTarget out;
  const auto prefixed = [&](std::string_view prefix) {
    return text == prefix || text.substr(0, prefix.size() + 1) == std::string(prefix) + ":";
  };
  if (prefixed("kustomization")) {
    out.kind = WriteBackTarget::Kind::kKustomization;
    if (text.size() > 13) out.path = std::string(text.substr(14));
    return out;
  }
  if (prefixed("helmvalues")) {
    out.kind = WriteBackTarget::Kind::kHelmValues;
    if (text.size() > 10) out.path = std::string(text.substr(11));
    return out;
  }
  const std::string_view base = basename(text);
  if (base == "kustomization.yaml" || base == "kustomization.yml" || base == "Kustomization")
    return fail<WriteBackTarget>(
        error, "invalid write-back target \"" + std::string(text) +
                   "\": a kustomization file is written with kustomization:<dir>");
  out.kind = WriteBackTarget::Kind::kFile;
  out.path = std::string(text);
  return out;
}

std::optional<WriteBackConfig> build_write_back(const WriteBackSettings& merged,
                                                const ObjectRef& object, Scope scope,
                                                std::vector<ConfigIssue>* issues) {
  WriteBackConfig out;
  out.method.text = out.method.plugin = "argocd";
  bool ok = true;
  const auto report = [&](const std::string& field, std::string message) {
    ok = false;
    if (issues != nullptr) issues->push_back(make_issue(scope, object, field, std::move(message)));
  };
  std::string error;
  if (merged.method) {
    if (auto method = parse_write_back_method(merged.method->value, &error)) {
      out.method = std::move(*method);
      out.method_field = merged.method->field;
    } else {
      report(merged.method->field, error);
    }
  }
  if (merged.repository) {
    if (merged.repository->value.empty())
      report(merged.repository->field, "must not be empty");
    else
      out.repository = merged.repository->value;
  }
  if (merged.branch) {
    out.branch_text = merged.branch->value;
    if (auto branch = parse_branch(merged.branch->value, &error))
      out.branch = std::move(*branch);
    else
      report(merged.branch->field, error);
  }
  if (merged.write_back_target) {
    out.target_text = merged.write_back_target->value;
    if (auto target = parse_write_back_target(merged.write_back_target->value, &error))
      out.target = std::move(*target);
    else
      report(merged.write_back_target->field, error);
  }
  if (merged.pull_request) {
    out.pull_request = merged.pull_request->value;
    if (out.branch && out.branch->has_target())
      report(merged.branch->field, "the <base>:<target> form cannot be used with pullRequest (" +
                                       merged.pull_request->field + ")");
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace iu::config
