// Paths of the test plugin files built by tests/plugin_host/CMakeLists.txt.
#pragma once

#include <filesystem>
#include <string>

namespace iu::test {
inline std::filesystem::path test_plugin(const std::string& name) {
  return std::filesystem::path(IU_TEST_PLUGIN_DIR) / (name + ".so");
}
}  // namespace iu::test
