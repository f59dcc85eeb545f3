// Tag listing with pagination (SPEC §7.3): GET /v2/<name>/tags/list?n=N, then every
// `Link: <...>; rel="next"` on the same origin, within the page, tag and size limits.
#pragma once

#include <string>
#include <vector>

#include "iu/plugin.hpp"
#include "requests.hpp"
#include "session.hpp"

namespace iu::dockerv2::detail {

// All tags of op.repository in the registry's order. Errors as described in client.hpp; a
// pagination link to another origin or back to a page already read is an INTERNAL error.
std::vector<std::string> fetch_tags(sdk::Call& call, const Endpoint& endpoint, Session& session,
                                    const Operation& op);

}  // namespace iu::dockerv2::detail
