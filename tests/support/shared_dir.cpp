#include "shared_dir.hpp"

#include <cstdlib>
#include <stdexcept>

#ifndef IU_SOURCE_DIR
#error "IU_SOURCE_DIR must be defined by the build"
#endif

namespace iu::test {

std::filesystem::path shared_dir() {
  std::filesystem::path dir;
  if (const char* env = std::getenv("IU_SHARED_DIR"); env != nullptr && *env != '\0') {
    dir = env;
  } else {
    dir = std::filesystem::path(IU_SOURCE_DIR) / ".." / "shared";
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir / "conformance", ec)) {
    throw std::runtime_error("shared folder not found at '" + dir.string() +
                             "' (expected conformance/ and fixtures/ inside): set IU_SHARED_DIR "
                             "to the folder that holds SPEC.md, conformance/ and fixtures/");
  }
  return std::filesystem::weakly_canonical(dir);
}

std::filesystem::path conformance_file(const std::string& name) {
  auto p = shared_dir() / "conformance" / name;
  if (!std::filesystem::exists(p)) {
    throw std::runtime_error("conformance vector file missing: " + p.string() +
                             " (is IU_SHARED_DIR pointing at an up-to-date shared folder?)");
  }
  return p;
}

std::filesystem::path fixtures_dir() { return shared_dir() / "fixtures"; }

}  // namespace iu::test
