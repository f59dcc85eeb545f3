// Locates ../shared (the fixtures and conformance vectors that live beside the clone).
// Contract: IU_SHARED_DIR wins; otherwise "<source dir>/../shared". A missing folder is a
// test failure with a message saying what to set, never a silent skip.
#pragma once

#include <filesystem>
#include <string>

namespace iu::test {

// Returns the shared folder, or throws std::runtime_error naming IU_SHARED_DIR.
std::filesystem::path shared_dir();

// shared_dir() / "conformance" / name, throwing when the file is missing.
std::filesystem::path conformance_file(const std::string& name);

// shared_dir() / "fixtures".
std::filesystem::path fixtures_dir();

}  // namespace iu::test
