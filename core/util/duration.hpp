// Go duration and boolean syntax, as used by flags, environment variables and config files.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace iu::util {

// Parses Go `time.ParseDuration` syntax ("500ms", "1h30m", "2.5s", "-1m"); a bare "0" is
// allowed, any other number without unit is an error. Returns nullopt and sets *error
// (when given) on failure. Units: ns us µs ms s m h.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text,
                                                       std::string* error = nullptr);

// Formats like Go's Duration.String(): "1h2m3s", "500ms", "0s".
std::string format_duration(std::chrono::nanoseconds d);

// The boolean spellings of Go's strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False.
std::optional<bool> parse_bool(std::string_view text);

}  // namespace iu::util
