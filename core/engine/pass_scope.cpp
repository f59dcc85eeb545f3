#include "engine/pass_scope.hpp"

namespace iu::engine {
namespace {

// The repository path as the registry stores it: official Docker Hub images live under
// `library/`.
std::string stored_path(const std::string& registry, const std::string& repository) {
  if (model::is_docker_hub(registry) && repository.find('/') == std::string::npos)
    return "library/" + repository;
  return repository;
}

}  // namespace

PassScope::PassScope(std::vector<ImageTarget> targets) : targets_(std::move(targets)) {
  for (auto& t : targets_) {
    t.registry = model::canonical_registry(t.registry.empty() ? "docker.io" : t.registry);
    t.repository = stored_path(t.registry, t.repository);
  }
}

const ImageTarget* PassScope::match(const model::ImageRef& image) const {
  const std::string registry =
      model::canonical_registry(image.domain.empty() ? "docker.io" : image.domain);
  const std::string path = stored_path(registry, image.path);
  for (const auto& t : targets_)
    if (t.registry == registry && t.repository == path) return &t;
  return nullptr;
}

std::string PassScope::describe() const {
  std::string out;
  for (const auto& t : targets_) {
    if (!out.empty()) out += ", ";
    out += t.registry + "/" + t.repository;
  }
  return out;
}

}  // namespace iu::engine
