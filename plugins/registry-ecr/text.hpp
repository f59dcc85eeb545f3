// Small text helpers of the AWS protocols: Base64 (ECR tokens), ISO 8601 times (STS), form
// encoding (STS queries), XML element text (STS answers) and keeping secrets out of messages.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iu::registry_ecr {

// Standard Base64 (with padding) decoded; nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view in);

// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` as a system time; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

// application/x-www-form-urlencoded value encoding (RFC 3986 unreserved kept).
std::string form_encode(std::string_view value);

// The text of the first <name>...</name> element (entities &lt; &gt; &amp; &quot; &apos;
// decoded); nullopt when absent. Enough for the flat, namespace-free answers of STS.
std::optional<std::string> xml_element(std::string_view xml, std::string_view name);

// `message` cut to its first line and at most 300 bytes, with every occurrence of each
// non-empty `secrets` entry replaced by "<redacted>": safe to put into an error.
std::string safe_message(std::string_view message, const std::vector<std::string_view>& secrets);

}  // namespace iu::registry_ecr
