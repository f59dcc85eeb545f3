// RFC 3339 timestamps as found in image config `created` fields, read the way Go's
// time.Parse(time.RFC3339, ...) reads them (what upstream uses): `YYYY-MM-DDTHH:MM:SS`, an
// optional fraction of any length, then `Z` or `±HH:MM`. Upper-case `T` and `Z` only, seconds
// 00–59, day valid for its month.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace iu::registry {

// Milliseconds since the Unix epoch (fraction truncated toward the past), or std::nullopt
// when `text` is not such a timestamp.
std::optional<int64_t> parse_rfc3339_ms(std::string_view text);

}  // namespace iu::registry
