// Image references (SPEC.md §5): the strict Docker grammar, the constraint-tolerant fallback,
// the updater's view of registry and name, normalization for comparisons and serialization.
//
// Nothing here throws for bad input: parsers return std::nullopt and describe the problem in
// `*error` (when given). Messages name the offending text but not the object or field; callers
// prefix those per §14, e.g. `ImageUpdater ns/x: …imageName: ` + message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iu::model {

// Host of Docker Hub as written in normalized names.
inline constexpr std::string_view kDockerHub = "docker.io";

// Which parser accepted an image reference.
enum class ParseStage {
  kStrict,    // Stage A: a valid Docker reference; `version` is a tag.
  kFallback,  // Stage B: the version is free text (a constraint such as `~1.2` or `>=1 <2`).
};

// One parsed image reference. Two views of the same text live side by side:
//  * the strict view (`domain`, `path`), exactly what Docker's ParseNormalizedNamed yields;
//  * the updater view (`registry`, `name`), used for everything the updater writes or logs.
// Example: `docker.io/library/nginx:1.25` has domain `docker.io`, path `library/nginx`,
// registry `docker.io`, name `nginx`, version `1.25`.
struct ImageRef {
  std::string alias;     // `alias=` prefix of an image spec; empty when there is none.
  std::string domain;    // `docker.io` when implied; empty when the first path component
                         // only looked like a host (`a.b-c_d/e`, kept for compatibility).
  std::string path;      // full repository path, `library/` included for official images.
  std::string registry;  // view: domain, empty when Docker Hub was only implied.
  std::string name;      // view: path without an implied `library/`.
  std::string version;   // tag (strict) or constraint text (fallback); empty when absent.
  std::string digest;    // `<algorithm>:<hex>`; empty when absent.
  ParseStage stage = ParseStage::kStrict;

  bool operator==(const ImageRef&) const = default;
};

// Stage A: parses `text` exactly as Docker's ParseNormalizedNamed (the Debian 12 build), plus
// IPv6 hosts such as `[::1]:5000/app`. Leading or trailing whitespace is an error.
// The result never has an alias and always has stage kStrict.
std::optional<ImageRef> parse_reference(std::string_view text, std::string* error = nullptr);

// Parses an image spec `[alias=]reference` as found in `imageName`, `image-list` items and the
// `test` command. Text before the first `=` is an alias only if it matches is_valid_alias(), so
// `nginx:>=1.0` stays one reference. The reference is tried with Stage A, then with the
// Stage B fallback, which accepts any non-empty version text after the first `:` that follows
// the last `/` (`host:5000/img:~1` has registry `host:5000`, version `~1`). Callers trim
// `image-list` items themselves; surrounding whitespace is an error here.
std::optional<ImageRef> parse_image_spec(std::string_view text, std::string* error = nullptr);

// True when `alias` matches `^[a-zA-Z0-9][a-zA-Z0-9-._]*$` (SPEC.md §4.1).
bool is_valid_alias(std::string_view alias);

// The registry host used for comparisons: Docker Hub's aliases (`docker.io`, `index.docker.io`,
// `registry-1.docker.io`) become `docker.io`; ASCII letters are lower-cased because host names
// are case-insensitive. An empty input stays empty.
std::string canonical_registry(std::string_view registry);

// True when `registry` denotes Docker Hub (any alias, any letter case).
bool is_docker_hub(std::string_view registry);

// Where a reference is resolved: the endpoint an empty registry stands for and the namespace
// that endpoint prepends to single-component repositories.
struct EndpointDefaults {
  // Registry used when the view's registry is empty (registries.conf `default: true` entry).
  std::string_view default_registry = kDockerHub;
  // registries.conf `defaultns` of the endpoint the reference resolves to. std::nullopt means
  // the built-in rule: `library` on Docker Hub, nothing elsewhere. An empty value means none.
  std::optional<std::string_view> defaultns;
};

// Repository used in registry API paths (`/v2/<repository>/tags/list`): the view's name with the
// endpoint's namespace prepended when the name has a single component.
// `nginx` → `library/nginx`; `registry-1.docker.io/nginx` → `library/nginx`; `quay.io/x` → `x`.
std::string api_repository(const ImageRef& ref, const EndpointDefaults& endpoint = {});

// `canonical-host/api-repository`, the identity used to compare images: `nginx`,
// `docker.io/nginx`, `docker.io/library/nginx` and `registry-1.docker.io/library/nginx` all give
// `docker.io/library/nginx`, while `quay.io/x` and `x` differ. Version, digest and alias are
// not part of it.
std::string normalized_name(const ImageRef& ref, const EndpointDefaults& endpoint = {});

// True when both references name the same repository (equal normalized names).
bool same_image(const ImageRef& a, const ImageRef& b, const EndpointDefaults& endpoint = {});

// `[registry/]name` — the value written back for an image name.
std::string full_name(const ImageRef& ref);

// `[registry/]name[:version][@digest]`.
std::string full_name_with_tag(const ImageRef& ref);

// `version[@digest]`; `latest@<digest>` when only a digest is set; empty when neither is.
std::string tag_with_digest(const ImageRef& ref);

// `[alias=]` + full_name_with_tag(): text that parse_image_spec() reads back to the same view.
std::string to_spec(const ImageRef& ref);

}  // namespace iu::model
