// RFC 8288 `Link` headers, as registries use them to paginate tag lists:
//   Link: </v2/acme/api/tags/list?last=1.9&n=100>; rel="next"
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace iu::dockerv2 {

// Thrown for a Link header that does not follow the grammar (unterminated `<`, a parameter
// without a name, an unterminated quoted string). The message describes the problem.
class LinkHeaderError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The URI reference of the first link whose `rel` (a space-separated, case-insensitive list)
// contains "next", or nullopt when the value has none. The reference is returned as written:
// it may be relative and must be resolved against the URL of the response that carried it.
std::optional<std::string> next_link(std::string_view header_value);

}  // namespace iu::dockerv2
