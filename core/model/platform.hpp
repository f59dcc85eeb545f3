// Target platforms of images (SPEC.md §6.3): `os/arch` or `os/arch/variant`.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace iu::model {

struct Platform {
  std::string os;
  std::string arch;
  std::string variant;  // empty when not given

  bool operator==(const Platform&) const = default;
};

// Parses `os/arch` or `os/arch/variant` with non-empty parts, compared later byte for byte.
// Anything else returns std::nullopt and sets `*error` (when given), e.g.
// `invalid platform "linux": expected os/arch or os/arch/variant`.
std::optional<Platform> parse_platform(std::string_view text, std::string* error = nullptr);

// `os/arch` or `os/arch/variant`.
std::string to_string(const Platform& platform);

// Whether a manifest built for `manifest` satisfies the configured `option`: same os and arch,
// and either the option names no variant or both variants are equal. So `linux/arm` accepts
// every ARM variant while `linux/arm/v7` rejects a manifest without a variant.
bool platform_matches(const Platform& option, const Platform& manifest);

// True when any option matches `manifest`.
bool any_platform_matches(std::span<const Platform> options, const Platform& manifest);

// The platform this binary runs on, in Go's GOOS/GOARCH names (`linux/amd64`, `linux/arm64`, …),
// without variant: the default when `platforms` is unset.
Platform runtime_platform();

}  // namespace iu::model
