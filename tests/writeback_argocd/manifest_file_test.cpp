// Reading and atomically replacing manifest files.
#include "manifest_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "temp_dir.hpp"

namespace iu::argocdwb {
namespace {

namespace fs = std::filesystem;

class ManifestFile : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    return tmp_.write(name, text);
  }
  size_t entries() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {}));
  }

  iu::test::TempDir tmp_{"iu-manifest"};
  const fs::path& dir_ = tmp_.path();
};
TEST_F(ManifestFile, ReplaceKeepsModeAndLeavesNoTemporaryFile) {
  const std::string path = write("apps.yaml", "a: 1\n");
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  std::string error;
  ASSERT_TRUE(replace_manifest(path, "a: 2\r\n\xEF\xBB\xBF", &error)) << error;
  EXPECT_EQ(read_manifest(path, &error), "a: 2\r\n\xEF\xBB\xBF");
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_EQ(after.st_mode & 07777, 0640u);
  EXPECT_NE(after.st_ino, before.st_ino) << "a new file renamed over the old one";
  EXPECT_EQ(entries(), 1u);
}

TEST_F(ManifestFile, ReplacingAMissingFileFailsAndCreatesNothing) {
  std::string error;
  EXPECT_FALSE(replace_manifest((dir_ / "gone.yaml").string(), "x", &error));
  EXPECT_NE(error.find("gone.yaml"), std::string::npos) << error;
  EXPECT_EQ(entries(), 0u);
}

TEST_F(ManifestFile, ReadReportsAMissingFile) {
  std::string error;
  bool missing = false;
  EXPECT_FALSE(read_manifest((dir_ / "gone.yaml").string(), &error, &missing));
  EXPECT_TRUE(missing);
  EXPECT_NE(error.find("gone.yaml: cannot read"), std::string::npos) << error;
  missing = false;
  EXPECT_FALSE(read_manifest(dir_.string() + "/sub/../gone.yaml", &error, &missing));
}

TEST_F(ManifestFile, OneLockPerFileWhateverItsSpelling) {
  const std::string path = write("apps.yaml", "a: 1\n");
  EXPECT_EQ(&manifest_lock(path), &manifest_lock(dir_.string() + "/./apps.yaml"));
  EXPECT_NE(&manifest_lock(path), &manifest_lock(write("other.yaml", "")));
}

}  // namespace
}  // namespace iu::argocdwb
