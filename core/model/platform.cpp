#include "model/platform.hpp"

#include <vector>

namespace iu::model {
namespace {

// Go's GOOS for the target this file is compiled for.
constexpr std::string_view runtime_os() {
#if defined(__linux__)
  return "linux";
#elif defined(__APPLE__)
  return "darwin";
#elif defined(_WIN32)
  return "windows";
#elif defined(__FreeBSD__)
  return "freebsd";
#elif defined(__OpenBSD__)
  return "openbsd";
#elif defined(__NetBSD__)
  return "netbsd";
#else
#error "unknown target operating system: add its Go GOOS name here"
#endif
}

// Go's GOARCH for the target this file is compiled for.
constexpr std::string_view runtime_arch() {
#if defined(__x86_64__) || defined(_M_X64)
  return "amd64";
#elif defined(__aarch64__) || defined(_M_ARM64)
  return "arm64";
#elif defined(__i386__) || defined(_M_IX86)
  return "386";
#elif defined(__arm__)
  return "arm";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
  return "ppc64le";
#elif defined(__powerpc64__)
  return "ppc64";
#elif defined(__s390x__)
  return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#elif defined(__loongarch64)
  return "loong64";
#elif defined(__mips64) && defined(__MIPSEL__)
  return "mips64le";
#elif defined(__mips64)
  return "mips64";
#else
#error "unknown target architecture: add its Go GOARCH name here"
#endif
}

}  // namespace

std::optional<Platform> parse_platform(std::string_view text, std::string* error) {
  std::vector<std::string_view> parts;
  for (std::string_view rest = text;;) {
    const std::size_t slash = rest.find('/');
    parts.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  const char* problem = nullptr;
  if (parts.size() < 2 || parts.size() > 3) {
    problem = "expected os/arch or os/arch/variant";
  } else if (parts[0].empty()) {
    problem = "empty os";
  } else if (parts[1].empty()) {
    problem = "empty architecture";
  } else if (parts.size() == 3 && parts[2].empty()) {
    problem = "empty variant";
  }
  if (problem != nullptr) {
    if (error != nullptr) *error = "invalid platform \"" + std::string(text) + "\": " + problem;
    return std::nullopt;
  }
  Platform platform{std::string(parts[0]), std::string(parts[1]), {}};
  if (parts.size() == 3) platform.variant = parts[2];
  return platform;
}

std::string to_string(const Platform& platform) {
  std::string out = platform.os + "/" + platform.arch;
  if (!platform.variant.empty()) out += "/" + platform.variant;
  return out;
}

bool platform_matches(const Platform& option, const Platform& manifest) {
  return option.os == manifest.os && option.arch == manifest.arch &&
         (option.variant.empty() || option.variant == manifest.variant);
}

bool any_platform_matches(std::span<const Platform> options, const Platform& manifest) {
  for (const Platform& option : options) {
    if (platform_matches(option, manifest)) return true;
  }
  return false;
}

Platform runtime_platform() {
  return Platform{std::string(runtime_os()), std::string(runtime_arch()), {}};
}

}  // namespace iu::model
