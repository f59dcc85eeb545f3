// The little of image-reference handling the write-back needs (SPEC §5): the repository part of
// a written name, and whether two spellings name the same image.
#pragma once

#include <string>
#include <string_view>

namespace iu::gitwb {

// The repository without its registry: "ghcr.io/acme/api" -> "acme/api", "nginx" -> "nginx".
// The first component is a registry when it contains '.' or ':' or is "localhost" (Docker's
// rule, SPEC §5.2).
std::string repository_of(std::string_view image_name);

// True when both names denote the same repository once normalized (SPEC §5.3): Docker Hub
// spellings (`nginx`, `docker.io/nginx`, `index.docker.io/library/nginx`,
// `registry-1.docker.io/library/nginx`) are one image; other registries compare literally.
bool same_image(std::string_view a, std::string_view b);

// "name:tag@digest" split into its parts; used to read `spec` values back.
struct SplitReference {
  std::string name, tag, digest;
};
SplitReference split_reference(std::string_view reference);

}  // namespace iu::gitwb
