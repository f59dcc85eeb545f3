// Kubernetes time stamps: Time (`2006-01-02T15:04:05Z`) and MicroTime
// (`2006-01-02T15:04:05.000000Z`), always UTC.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace iu::kube {

std::string format_time(std::chrono::system_clock::time_point t);
std::string format_micro_time(std::chrono::system_clock::time_point t);
// Accepts both forms (and a `+00:00` offset); nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_micro_time(std::string_view text);

}  // namespace iu::kube
