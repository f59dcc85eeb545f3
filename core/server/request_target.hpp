// The request target (RFC 9112 §3.2, RFC 9113 :path) split into a Request's path and query, the
// same for HTTP/1.1 and HTTP/2. Internal to core/server.
#pragma once

#include <string>

#include "server/http_server.hpp"

namespace iu::server {

// Sets r.path to `target` up to the first '?' and r.query to the parameters after it: split on
// '&' and the first '=', '+' and %XX decoded (malformed escapes kept as they are), the last
// value of a repeated name wins, a name without '=' gets "".
void split_target(const std::string& target, Request& r);

}  // namespace iu::server
