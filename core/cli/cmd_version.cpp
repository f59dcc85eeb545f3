#include <cstdio>

#include "cli/commands.hpp"
#include "iu/plugin.h"

namespace iu::cli {
namespace {

const char* runtime_arch() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__i386__)
  return "386";
#elif defined(__arm__)
  return "arm";
#elif defined(__powerpc64__)
  return "ppc64le";
#elif defined(__s390x__)
  return "s390x";
#else
  return "unknown";
#endif
}

}  // namespace

int cmd_version(bool short_form) {
  std::printf("argocd-image-updater: v%s+%s\n", IU_VERSION, IU_GIT_COMMIT);
  if (short_form) return 0;
  std::printf("  BuildDate: %s\n", IU_BUILD_DATE);
  std::printf("  GitCommit: %s\n", IU_GIT_COMMIT);
  std::printf("  Compiler: %s %s\n",
#if defined(__clang__)
              "clang",
#else
              "g++",
#endif
              __VERSION__);
  std::printf("  Platform: linux/%s\n", runtime_arch());
  std::printf("  PluginABI: %d.%d\n", IU_ABI_MAJOR, IU_ABI_MINOR);
  return 0;
}

}  // namespace iu::cli
