// SPEC §14 messages for registry failures: `registry <name>: <subject>: <problem>`, where the
// subject is the request (`GET /v2/acme/api/tags/list`) or the object (`repository acme/api`).
// Nothing here ever sees credentials or tokens: callers pass URLs without user information and
// response bodies are reduced to the registry's error codes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "iu/plugin.hpp"

namespace iu::dockerv2::detail {

// Throws iu::sdk::Error(status, "registry <registry>: <subject>: <problem>").
[[noreturn]] void fail(iu_status status, std::string_view registry, std::string_view subject,
                       std::string_view problem);

// The status for an HTTP status code the operation did not expect: 404 NOT_FOUND, 401/403
// UNAUTHENTICATED, 429 RATE_LIMITED, 408/5xx TRANSIENT, other 4xx INVALID_ARGUMENT, anything
// else INTERNAL.
iu_status status_for_http(int code);

// "HTTP 404: NAME_UNKNOWN: repository name not known to registry" (the error body summary is
// added when the registry sent one).
std::string http_problem(const sdk::HttpResponse& response);

// What a failed host transport call means, for messages (the host's own text does not reach
// the plugin: the ABI has no slot to read it back).
std::string transport_problem(iu_status status, uint64_t max_body_bytes);

// "4 MiB", "512 KiB", "100 bytes".
std::string byte_size(uint64_t bytes);

}  // namespace iu::dockerv2::detail
