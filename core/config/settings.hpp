// Layers of settings as configured, before inheritance is applied (SPEC §4.1 "Inheritance").
//
// A layer is the commonUpdateSettings / writeBackConfig / imagesVerification of an ImageUpdater's
// spec, of one applicationRef or of one image, or the same settings read from legacy
// annotations (§4.2). Every field is optional so that "unset" differs from "set to the default";
// an explicit empty list is set. Each value remembers the field it came from, so an error found
// after merging still names the right field (SPEC §14).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace iu::config {

template <class T>
struct Setting {
  T value;
  std::string field;  // e.g. `spec.commonUpdateSettings.allowTags` or an annotation path
};

struct UpdateSettings {
  std::optional<Setting<std::string>> update_strategy;
  // Text of the boolean: `true`/`false` from a CR (already type-checked), the annotation text as
  // written otherwise (checked against the §3.2 spellings when the effective value is built).
  std::optional<Setting<std::string>> force_update;
  std::optional<Setting<std::string>> allow_tags;
  std::optional<Setting<std::vector<std::string>>> ignore_tags;
  std::optional<Setting<std::string>> pull_secret;
  std::optional<Setting<std::vector<std::string>>> platforms;
};

struct CosignKey {
  std::string secret_name;
  std::string key;
};

struct VerificationSettings {
  // A present imagesVerification block sets `enabled` (to true when the field is omitted).
  std::optional<Setting<bool>> enabled;
  std::optional<Setting<CosignKey>> cosign_key;
};

struct PullRequestSettings {
  enum class Provider { kGitHub, kGitLab };
  Provider provider = Provider::kGitHub;
  std::vector<std::string> labels;  // trimmed, de-duplicated (first kept), in order
};

struct WriteBackSettings {
  std::optional<Setting<std::string>> method;
  std::optional<Setting<std::string>> repository;
  std::optional<Setting<std::string>> branch;
  std::optional<Setting<std::string>> write_back_target;
  std::optional<Setting<PullRequestSettings>> pull_request;  // replaced as a whole block
};

// Where an image is written (SPEC §4.1 manifestTargets, §4.2 helm./kustomize. annotations).
// A CR sets at most one of the three; legacy annotations may set both helm and kustomize, the
// one used then depends on the application's source type. Unset members mean "not configured":
// Helm then uses the defaults below, Kustomize the image's own name.
struct HelmTarget {
  std::string name = "image.name";  // dotted path of the repository value
  std::string tag = "image.tag";    // dotted path of the tag value
  std::string spec;                 // dotted path of the full reference; overrides name/tag
};
struct KustomizeTarget {
  std::string name;  // original image name in the kustomization's `images:`
};
struct PluginTarget {
  std::string name;  // env var receiving the image name
  std::string tag;   // env var receiving the tag
  std::string spec;  // env var receiving the full reference; overrides name/tag
};
struct ImageTarget {
  std::optional<HelmTarget> helm;
  std::optional<KustomizeTarget> kustomize;
  std::optional<PluginTarget> plugin;
};

// Field-by-field inheritance: every value set in `over` replaces the one in `base`; lists are
// replaced, never merged.
UpdateSettings merge(UpdateSettings base, const UpdateSettings& over);
VerificationSettings merge(VerificationSettings base, const VerificationSettings& over);
// method, repository, branch and writeBackTarget override one by one; pullRequest as a block.
WriteBackSettings merge(WriteBackSettings base, const WriteBackSettings& over);

}  // namespace iu::config
