#include "image_name.hpp"

namespace iu::gitwb {
namespace {

bool is_registry(std::string_view component) {
  return component.find('.') != std::string_view::npos ||
         component.find(':') != std::string_view::npos || component == "localhost";
}

// "<canonical host>/<full repository>" for comparisons.
std::string normalized(std::string_view name) {
  std::string host = "docker.io";
  std::string_view path = name;
  size_t slash = name.find('/');
  if (slash != std::string_view::npos && is_registry(name.substr(0, slash))) {
    host = std::string(name.substr(0, slash));
    path = name.substr(slash + 1);
  }
  if (host == "index.docker.io" || host == "registry-1.docker.io") host = "docker.io";
  std::string full(path);
  if (host == "docker.io" && full.find('/') == std::string::npos) full = "library/" + full;
  return host + "/" + full;
}

}  // namespace

std::string repository_of(std::string_view image_name) {
  size_t slash = image_name.find('/');
  if (slash != std::string_view::npos && is_registry(image_name.substr(0, slash)))
    return std::string(image_name.substr(slash + 1));
  return std::string(image_name);
}

bool same_image(std::string_view a, std::string_view b) {
  return a == b || normalized(a) == normalized(b);
}

SplitReference split_reference(std::string_view reference) {
  SplitReference out;
  size_t at = reference.rfind('@');
  if (at != std::string_view::npos) {
    out.digest = std::string(reference.substr(at + 1));
    reference = reference.substr(0, at);
  }
  size_t slash = reference.rfind('/');
  size_t colon = reference.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    out.tag = std::string(reference.substr(colon + 1));
    reference = reference.substr(0, colon);
  }
  out.name = std::string(reference);
  return out;
}

}  // namespace iu::gitwb
