// Write-back configuration (SPEC §4.1 writeBackConfig, §4.2 write-back annotations, §9.4, §9.5):
// the method, and the syntax checks of branch and target that need no repository.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/issue.hpp"
#include "config/settings.hpp"

namespace iu::config {

// `writeBackConfig.method`: the write-back plugin is the text before the first `:`.
struct WriteBackMethod {
  std::string text;    // as written, e.g. `git:secret:argocd/deploy-key`
  std::string plugin;  // `argocd`, `git` or another loaded write-back implementation
  // For `git`: how repository credentials are found.
  enum class GitCredentials { kRepoCreds, kSecret };
  GitCredentials git_credentials = GitCredentials::kRepoCreds;  // `git` = `git:repocreds`
  // `git:secret:[<ns>/]<name>`. When no namespace is written, resolve() fills in the
  // ImageUpdater's namespace (legacy annotations: the Argo CD namespace).
  std::string secret_namespace;
  std::string secret_name;
  std::string plugin_argument;  // text after `<plugin>:` for plugins other than argocd/git
};

// Parses a method. `argocd` takes no argument; `git`, `git:repocreds`, `git:secret:<name>` and
// `git:secret:<ns>/<name>` (Kubernetes names) are the git forms; any other `<name>[:<arg>]` with
// a lower-case plugin name is accepted here and checked against the loaded plugins later.
// On failure returns std::nullopt and sets `*error`, e.g.
// `invalid write-back method "git:secrets:x": expected git, git:repocreds or
// git:secret:[<namespace>/]<name>`.
std::optional<WriteBackMethod> parse_write_back_method(std::string_view text,
                                                       std::string* error = nullptr);

// `gitConfig.branch`: `base`, `base:target` or `:target`. The target may be a template.
struct BranchSpec {
  std::string base;    // empty: the source's targetRevision
  std::string target;  // empty: push to the base branch
  bool has_target() const { return !target.empty(); }
};
// Splits at the first `:`. Errors: an empty text, or `base:` with an empty target.
std::optional<BranchSpec> parse_branch(std::string_view text, std::string* error = nullptr);

// `writeBackTarget` (SPEC §9.5).
struct WriteBackTarget {
  enum class Kind { kDefault, kKustomization, kHelmValues, kFile };
  Kind kind = Kind::kDefault;
  std::string path;  // kKustomization: dir; kHelmValues/kFile: file; empty for the defaults
};
// Errors: an explicit file named kustomization.yaml/.yml or Kustomization (use
// `kustomization:<dir>`), or an empty text.
std::optional<WriteBackTarget> parse_write_back_target(std::string_view text,
                                                       std::string* error = nullptr);

// Effective write-back of one application (SPEC §4.1: applies per application, not per image).
struct WriteBackConfig {
  WriteBackMethod method;                 // default: argocd
  std::string method_field;               // where the method came from; empty for the default
  std::optional<std::string> repository;  // gitConfig.repository / git-repository
  std::optional<BranchSpec> branch;       // gitConfig.branch / git-branch
  std::string branch_text;                // as written
  std::optional<WriteBackTarget> target;  // writeBackTarget / write-back-target
  std::string target_text;                // as written
  std::optional<PullRequestSettings> pull_request;
};

// Builds the effective write-back of an application from merged settings. Each problem is
// reported for `object` with `scope`, at the field the value came from, and the result is then
// std::nullopt. Besides the syntax checks above: pullRequest excludes the `base:target` branch
// form (SPEC §9.9).
std::optional<WriteBackConfig> build_write_back(const WriteBackSettings& merged,
                                                const ObjectRef& object, Scope scope,
                                                std::vector<ConfigIssue>* issues);

}  // namespace iu::config
