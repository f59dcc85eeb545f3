// The Docker Registry v2 / OCI distribution protocol client (SPEC §7.3, §7.5, §7.6), speaking
// through the host's HTTP service (iu::sdk::Call::http) only. One Client per registry endpoint;
// all methods are thread-safe and may run concurrently.
//
// What it does per operation: ping GET /v2/ once per client to learn the challenge; answer a
// Bearer challenge with a token from the realm (cached per scope and credential identity until
// `expires_in` minus 10 %, one fetch per key at a time) or a Basic challenge with the
// credentials; on 401/403 adopt a new challenge the registry offers, or drop a cached token and
// retry once with a fresh one; a rejection after that is IU_STATUS_UNAUTHENTICATED (the host
// then re-resolves credentials and retries once).
//
// Errors are iu::sdk::Error with a SPEC §14 message that never contains credentials or tokens:
//   registry ghcr.io: GET /v2/acme/api/tags/list: HTTP 200 with invalid JSON at offset 17: ...
// Status mapping: HTTP 404 -> NOT_FOUND; 401/403 (after the auth retry) -> UNAUTHENTICATED;
// 429 -> RATE_LIMITED; 408 and 5xx -> TRANSIENT; other 4xx -> INVALID_ARGUMENT; other
// unexpected statuses -> INTERNAL; a malformed document or content that does not hash to its
// digest -> INTERNAL; schema 1 or an unknown manifest media type -> UNSUPPORTED; more tags or
// pages than the limits -> UNSUPPORTED; bad repository, tag or digest syntax ->
// INVALID_ARGUMENT. Failures of the host transport keep the host's status (TRANSIENT,
// RATE_LIMITED, CANCELLED, ...).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "iu/dockerv2/credentials.hpp"
#include "iu/plugin.hpp"

namespace iu::dockerv2 {

struct ClientOptions {
  std::string registry;  // name in messages, e.g. the registries.conf prefix "ghcr.io"
  std::string api_url;   // http(s)://host[:port][/path]; a trailing '/' is ignored

  uint32_t tags_page_size = 1000;  // `n` of tag list requests; 0 = let the registry choose
  uint32_t max_tag_pages = 1000;
  uint64_t max_tags = 100000;
  uint64_t max_tag_page_bytes = 16u << 20;
  uint64_t max_manifest_bytes = 4u << 20;
  uint64_t max_config_bytes = 8u << 20;
  uint64_t max_token_bytes = 1u << 20;
  uint64_t max_ping_bytes = 1u << 20;

  // Actions requested in token scopes, comma-separated. Empty = "pull", plus
  // "metadata_read,content_read" when the API host ends in ".azurecr.io".
  std::string token_actions;
};

class Client {
 public:
  // Throws iu::sdk::Error(IU_STATUS_INVALID_ARGUMENT) naming the registry and `api_url` when
  // the URL is not an absolute http(s) URL without user information, query or fragment.
  // `credentials` null = RequestCredentials.
  explicit Client(ClientOptions options, std::shared_ptr<CredentialProvider> credentials = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientOptions& options() const;

  // Every tag of the repository, all pages, in the registry's order. `on_tag` is called only
  // after the whole listing succeeded (a failed listing never hands out a partial list).
  void list_tags(sdk::Call& call, const sdk::RepoRequest& request,
                 const std::function<void(std::string_view tag)>& on_tag);

  // The manifest or index for a tag or digest. head_only: a HEAD request suffices when the
  // registry sends Docker-Content-Digest and a supported Content-Type (children and the config
  // digest are then left empty); otherwise, and always without head_only, the manifest is
  // fetched and parsed, its digest computed from the bytes and checked against
  // Docker-Content-Digest and, for a digest reference, against the reference.
  sdk::Manifest get_manifest(sdk::Call& call, const sdk::RepoRequest& request,
                             std::string_view reference, bool head_only = false);

  // The config blob with the given digest (redirects followed, content verified), parsed.
  sdk::ImageConfig get_image_config(sdk::Call& call, const sdk::RepoRequest& request,
                                    std::string_view config_digest);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iu::dockerv2
