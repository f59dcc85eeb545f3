// The images a webhook-triggered pass checks (SPEC §12.3): only application images whose
// normalized name equals a pushed (registry, repository); their tag lists are fetched fresh and
// the pushed tags' digests re-read. Everything else in such a pass is left alone.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/image_ref.hpp"

namespace iu::engine {

struct ImageTarget {
  std::string registry;        // host as the event named it ("docker.io" for Docker Hub)
  std::string repository;      // repository path as the registry names it ("library/nginx")
  std::set<std::string> tags;  // pushed tags: their digests are read fresh
  std::string webhook_type;    // the webhook type that reported it ("registry", ...): metrics
};

class PassScope {
 public:
  explicit PassScope(std::vector<ImageTarget> targets);

  // The target naming the image's registry and repository, or null. Registry hosts compare
  // canonically (Docker Hub aliases, letter case); a Docker Hub repository without a namespace
  // is `library/<name>` on both sides.
  const ImageTarget* match(const model::ImageRef& image) const;

  const std::vector<ImageTarget>& targets() const { return targets_; }
  // "registry/repository, ..." for logs.
  std::string describe() const;

 private:
  std::vector<ImageTarget> targets_;
};

}  // namespace iu::engine
