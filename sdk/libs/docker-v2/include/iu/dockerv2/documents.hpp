// The JSON documents of the protocol: manifests and indexes, image config blobs, tag list pages,
// token responses and error bodies. Parsing is strict about types (a registry answering with a
// string where an object belongs is reported, not guessed around) and reports where the problem
// is: `invalid JSON at offset 17: ...` or `manifests[1].platform.os: expected a string`.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "iu/plugin.hpp"

namespace iu::dockerv2 {

namespace media_type {
inline constexpr std::string_view oci_index = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view docker_list =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view oci_manifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view docker_manifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view docker_schema1 =
    "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view docker_schema1_signed =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";
}  // namespace media_type

// The Accept header of manifest requests: the four supported types, indexes first. Schema 1 is
// deliberately absent (a registry that can only serve schema 1 answers with it anyway and the
// answer is refused).
const std::string& manifest_accept_header();

// True for the OCI index and the Docker manifest list; false for everything else.
bool is_index_media_type(std::string_view media_type);
// True for one of the four supported manifest media types.
bool is_supported_media_type(std::string_view media_type);
// True for the two schema 1 media types.
bool is_schema1_media_type(std::string_view media_type);
// A Content-Type value without parameters and surrounding blanks, lower-cased.
std::string bare_media_type(std::string_view content_type);

// A response document that cannot be used. status() is IU_STATUS_UNSUPPORTED for well-formed
// documents of a kind this client does not handle (schema 1, unknown media types) and
// IU_STATUS_INTERNAL for malformed ones: retrying does not help and the configuration is not at
// fault, so neither TRANSIENT nor INVALID_ARGUMENT fits. what() is the detail without the
// request (the client prefixes registry, method and path).
class DocumentError : public std::runtime_error {
 public:
  DocumentError(iu_status status, const std::string& detail)
      : std::runtime_error(detail), status_(status) {}
  iu_status status() const noexcept { return status_; }

 private:
  iu_status status_;
};

// Parses a manifest or index. `content_type` is the response's Content-Type (may be empty); the
// document's own `mediaType` wins over it, and a document with neither is recognised by its
// shape (`manifests` => OCI index, `config` => OCI manifest). The result's digest is left empty
// (it is a property of the bytes as served; the client fills it in).
sdk::Manifest parse_manifest(std::string_view body, std::string_view content_type);

// Parses an image config blob: `created`, `os`, `architecture`, `variant`, `config.Labels`.
sdk::ImageConfig parse_image_config(std::string_view body);

// Parses one page of GET /v2/<name>/tags/list: the `tags` array (null or absent = no tags).
std::vector<std::string> parse_tag_page(std::string_view body);

struct TokenResponse {
  std::string token;                  // `token`, else `access_token`
  std::optional<int64_t> expires_in;  // seconds, when the server said
};

// Parses a token endpoint's answer. A response with neither `token` nor `access_token` is an
// error; `expires_in` must be an integer when present.
TokenResponse parse_token_response(std::string_view body);

// "CODE: message" of the first entries of a registry error body ({"errors":[...]}), at most
// about 200 characters, printable ASCII only; "" when the body is not such a document.
std::string error_body_summary(std::string_view body);

}  // namespace iu::dockerv2
