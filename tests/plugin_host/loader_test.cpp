// Loader: negotiation, refusals with their messages, the growth rule, duplicates. Every case
// loads a real .so built by the test suite, and the host always goes on.
#include "plugin_host/loader.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "plugin_host/kinds.hpp"
#include "test_plugins.hpp"

namespace iu::plugin_host {
namespace {

using iu::test::test_plugin;

const Rejection& only_rejection(const Catalog& c) {
  EXPECT_EQ(c.rejections().size(), 1u);
  return c.rejections().front();
}

TEST(Loader, GoodPluginOffersEveryKind) {
  Catalog c;
  EXPECT_EQ(load_file(test_plugin("test-good"), c), 5u);
  EXPECT_TRUE(c.rejections().empty());
  const auto& s = c.resolve(Kind::strategy, "test-reverse");
  EXPECT_EQ(s.plugin_name, "test-good");
  EXPECT_EQ(s.plugin_version, "2.3.4");
  EXPECT_EQ(s.abi_major, 1u);
  EXPECT_EQ(s.abi_minor, 0u);
  EXPECT_EQ(s.source, test_plugin("test-good").string());
  EXPECT_EQ(s.description, "reverse order");
  EXPECT_EQ(&c.resolve(Kind::strategy, "test-reverse-alias"), &s);
  EXPECT_NE(c.find(Kind::registry, "test-list"), nullptr);
  EXPECT_NE(c.find(Kind::scheduler, "test-reverse-sched"), nullptr);
  EXPECT_NE(c.find(Kind::writeback, "test-echo"), nullptr);
  EXPECT_EQ(c.find(Kind::registry, "test-reverse"), nullptr) << "names are per kind";
}

TEST(Loader, UnknownNameListsTheAvailableOnes) {
  Catalog c;
  load_file(test_plugin("test-good"), c);
  try {
    c.resolve(Kind::strategy, "calver");
    FAIL() << "expected UnknownImplementation";
  } catch (const UnknownImplementation& e) {
    EXPECT_STREQ(e.what(), "unknown strategy \"calver\" (available: test-reverse, test-throws)");
  }
  Catalog empty;
  EXPECT_THROW(
      {
        try {
          empty.resolve(Kind::writeback, "git");
        } catch (const UnknownImplementation& e) {
          EXPECT_STREQ(e.what(), "unknown writeback \"git\" (available: none loaded)");
          throw;
        }
      },
      UnknownImplementation);
}

TEST(Loader, AbiMajorMismatchIsRefusedWithRemedy) {
  Catalog c;
  auto file = test_plugin("test-c-abi-major");
  EXPECT_EQ(load_file(file, c), 0u);
  const auto& r = only_rejection(c);
  EXPECT_EQ(r.reason, file.string() +
                          ": plugin ABI 2.0 is incompatible with host ABI 1.0 (major versions "
                          "differ); rebuild the plugin against SDK 1.x");
  EXPECT_EQ(r.abi, "2.0");
  EXPECT_TRUE(c.implementations().empty());
}

TEST(Loader, NewerMinorIsRefusedWithRemedy) {
  Catalog c;
  auto file = test_plugin("test-c-abi-newer-minor");
  EXPECT_EQ(load_file(file, c), 0u);
  EXPECT_EQ(only_rejection(c).reason,
            file.string() +
                ": plugin ABI 1.1 needs host ABI >= 1.1 (host is 1.0); rebuild "
                "against SDK 1.0 or upgrade");
}

TEST(Loader, EntryReturningNullIsRefused) {
  Catalog c;
  auto file = test_plugin("test-c-null-entry");
  EXPECT_EQ(load_file(file, c), 0u);
  EXPECT_EQ(only_rejection(c).reason,
            file.string() + ": iu_plugin_entry returned NULL (the plugin refused to initialise)");
}

TEST(Loader, MissingEntrySymbolIsRefused) {
  Catalog c;
  auto file = test_plugin("test-c-no-entry");
  EXPECT_EQ(load_file(file, c), 0u);
  EXPECT_NE(only_rejection(c).reason.find(file.string() + ": no iu_plugin_entry symbol: not an "
                                                          "argocd-image-updater plugin"),
            std::string::npos)
      << only_rejection(c).reason;
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("iu-loader-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

using LoaderFiles = TempDir;

TEST_F(LoaderFiles, NonElfFileIsRefused) {
  auto file = dir_ / "notes.so";
  std::ofstream(file) << "this is not a shared object\n";
  Catalog c;
  EXPECT_EQ(load_file(file, c), 0u);
  EXPECT_EQ(only_rejection(c).reason, file.string() + ": not an ELF shared object");
}

TEST_F(LoaderFiles, TruncatedElfIsRefusedWithTheLoaderMessage) {
  auto file = dir_ / "truncated.so";
  {
    std::ifstream in(test_plugin("test-good"), std::ios::binary);
    std::string head(512, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    std::ofstream(file, std::ios::binary) << head;
  }
  Catalog c;
  EXPECT_EQ(load_file(file, c), 0u);
  EXPECT_EQ(only_rejection(c).reason.rfind(file.string() + ": cannot load: ", 0), 0u)
      << only_rejection(c).reason;
}

TEST_F(LoaderFiles, DirectoriesLoadSoFilesInLexicalOrderAndGoOnAfterRefusals) {
  for (const char* name : {"test-duplicate", "test-good", "test-c-abi-major"})
    std::filesystem::copy_file(test_plugin(name), dir_ / (std::string(name) + ".so"));
  std::ofstream(dir_ / "README.txt") << "ignored: not a .so";
  Catalog c;
  load_directories({dir_ / "missing", dir_}, c);
  // Lexical order: test-c-abi-major (refused), test-duplicate (first: owns test-reverse),
  // test-good (its test-reverse is the duplicate).
  ASSERT_EQ(c.rejections().size(), 2u);
  EXPECT_NE(c.rejections()[0].reason.find("plugin ABI 2.0"), std::string::npos);
  EXPECT_EQ(c.rejections()[1].reason,
            (dir_ / "test-good.so").string() +
                ": duplicate strategy \"test-reverse\": already "
                "provided by " +
                (dir_ / "test-duplicate.so").string() +
                " (the first one loaded stays; remove or rename one of them)");
  EXPECT_EQ(c.resolve(Kind::strategy, "test-reverse").plugin_name, "test-duplicate");
  EXPECT_NE(c.find(Kind::strategy, "test-unique-name"), nullptr);
  EXPECT_NE(c.find(Kind::strategy, "test-throws"), nullptr) << "the rest of test-good loads";
}

TEST(Loader, DuplicateTypeNameKeepsTheFirst) {
  Catalog c;
  load_file(test_plugin("test-good"), c);
  load_file(test_plugin("test-duplicate"), c);
  const auto& r = only_rejection(c);
  EXPECT_EQ(r.kind, Kind::strategy);
  EXPECT_EQ(r.name, "test-reverse");
  EXPECT_EQ(c.resolve(Kind::strategy, "test-reverse").plugin_name, "test-good");
  EXPECT_EQ(c.resolve(Kind::strategy, "test-unique-name").plugin_name, "test-duplicate");
}

TEST(Loader, OlderMinorWithSmallerStructsLoadsAndLacksTheNewSlots) {
  Catalog c;
  EXPECT_EQ(load_file(test_plugin("test-c-older-minor"), c), 1u);
  EXPECT_TRUE(c.rejections().empty());
  const auto& impl = c.resolve(Kind::registry, "c-registry");
  EXPECT_TRUE(impl.aliases.empty()) << "aliases lie past the factory size it reported";
  const auto& vt = std::get<iu_registry_vtable>(impl.vtable);
  EXPECT_EQ(vt.get_manifest, nullptr);
  EXPECT_EQ(vt.get_image_config, nullptr);
  RegistryInstance reg(impl, {}, "example.com");
  auto tags = reg.list_tags("org/app", {});
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0].tag, "1.0.0");
  try {
    reg.get_manifest("org/app", {}, "1.0.0");
    FAIL() << "expected UNSUPPORTED";
  } catch (const PluginError& e) {
    EXPECT_EQ(e.status(), IU_STATUS_UNSUPPORTED);
    EXPECT_STREQ(e.what(),
                 "registry \"c-registry\": manifest org/app:1.0.0: this plugin does not provide it");
  }
}

TEST(Loader, MissingRequiredSlotRefusesThatImplementation) {
  Catalog c;
  auto file = test_plugin("test-c-missing-slot");
  EXPECT_EQ(load_file(file, c), 0u);
  EXPECT_EQ(
      only_rejection(c).reason,
      file.string() + ": registry \"c-registry\": required slot list_tags is missing");
}

TEST(Loader, SplitPluginDirs) {
  auto dirs = split_plugin_dirs({"/a:/b", "", "/c::/d"});
  ASSERT_EQ(dirs.size(), 4u);
  EXPECT_EQ(dirs[0], "/a");
  EXPECT_EQ(dirs[3], "/d");
}

}  // namespace
}  // namespace iu::plugin_host
