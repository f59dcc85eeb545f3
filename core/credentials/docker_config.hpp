// `.dockerconfigjson` (the content of a `kubernetes.io/dockerconfigjson` Secret): choosing the
// `auths` entry for a registry and decoding its username and password (SPEC §8).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credentials/credential.hpp"

namespace iu::credentials {

// Normalizes an `auths` key or a registry address for comparison: strips an http:// or https://
// scheme, trailing `/`, and a trailing `/v1` or `/v2` API path; lower-cases the host.
// `https://index.docker.io/v1/` → `index.docker.io`; `Ghcr.io/acme/` → `ghcr.io/acme`.
std::string normalize_auths_key(std::string_view key);

// Picks the entry of `keys` (as written in `auths`) for a request to `registry_host` (the
// endpoint's API host, optionally `[scheme://]host[:port][/path]`) about `repository` (may be
// empty). Rules, first that matches wins:
//  1. a key without path whose host equals the registry host; every Docker Hub alias
//     (`docker.io`, `index.docker.io`, `registry-1.docker.io`) equals every other one;
//  2. the longest key that is a prefix of `host/repository` at a `/` boundary
//     (`ghcr.io/acme` fits `ghcr.io/acme/api`, not `ghcr.io/acmecorp/api`).
// Ties go to the key written exactly like the host, then to the earliest key.
// Returns the index into `keys`, or nullopt when nothing fits.
std::optional<size_t> choose_auths_entry(const std::vector<std::string>& keys,
                                         std::string_view registry_host,
                                         std::string_view repository = {});

// Parses `json`, chooses the entry as above and returns its credentials: `auth` (base64 of
// `user:password`) when present, else `username` and `password`. Throws CredentialError whose
// message starts with `ref_text` and names the part at fault (`.dockerconfigjson: invalid JSON
// at offset 17`, `auths["ghcr.io"].auth: invalid base64`) without quoting any secret.
Credential credential_from_docker_config(std::string_view json, std::string_view registry_host,
                                         std::string_view repository, std::string_view ref_text);

// Strict standard base64 (RFC 4648 alphabet, padding required, no whitespace) as Go's
// base64.StdEncoding; nullopt for anything else.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace iu::credentials
