// Runs an `ext:` credential helper (SPEC §8): an executable started without arguments and
// without a shell, in its own process group, stdin reading from /dev/null (end of file at once),
// the environment inherited. Its first stdout line is the credential.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace iu::credentials {

struct HelperLimits {
  // Wall-clock limit; when it passes, the helper's whole process group gets SIGKILL, so
  // children it left behind cannot keep the pipes open.
  std::chrono::milliseconds timeout{10'000};
  // Most bytes read from stdout and stderr together; more is an error.
  std::size_t max_output = 64 * 1024;
  // Most bytes of stderr quoted in an error message.
  std::size_t stderr_excerpt = 1024;
};

// Runs `path` and returns the first line of its standard output (without the line ending).
// When the helper exits, whatever else is left in its process group is killed too.
// Throws CredentialError with a message that starts with `ref_text` and says what failed: path
// not absolute, missing, not a regular file or not executable; start failure; non-zero exit,
// death by signal, timeout or oversized output (each followed by up to `stderr_excerpt` bytes of
// stderr); empty output. Standard output never appears in a message: it holds the secret.
// Thread-safe: concurrent calls run independent helpers.
std::string run_credential_helper(const std::string& path, std::string_view ref_text,
                                  const HelperLimits& limits = {});

}  // namespace iu::credentials
