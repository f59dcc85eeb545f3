// Signed commits (SPEC §9.7): OpenPGP through gpgme and SSH through ssh-keygen, verified with
// the git CLI; unusable signing configurations are refused when the instance is created.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "git_fixture.hpp"
#include "git_harness.hpp"
#include "plugin_host/call.hpp"
#include "server_suite.hpp"

namespace iu::test::gitwb {
namespace {

class GitSigningTest : public ServerSuite {
 protected:
  void SetUp() override {
    name_ = fresh_repo();
    bare_ = server().bare(name_);
  }
  void TearDown() override {
    if (!gnupg_.empty()) {
      sh("GNUPGHOME=" + quote(gnupg_) + " gpgconf --kill gpg-agent", false);
      ::unsetenv("GNUPGHOME");
    }
  }
  std::map<std::string, std::string> config(std::map<std::string, std::string> extra) {
    extra["cache_dir"] = (dir_.path() / "cache").string();
    return extra;
  }
  std::string write_one() {
    Batch b;
    b.add(helm_values_intent(server().daemon_url(name_), "web", "7.0.0"));
    auto r = write(*make_instance(cfg_), b);
    return r[0].status == IU_STATUS_OK ? std::string() : r[0].message;
  }

  TempDir dir_;
  std::string gnupg_;
  std::map<std::string, std::string> cfg_;
  std::string name_;
  std::filesystem::path bare_;
};

TEST_F(GitSigningTest, SshSignatureVerifiesWithGit) {
  std::string key = (dir_.path() / "id_ed25519").string();
  sh("ssh-keygen -q -t ed25519 -N '' -C bot -f " + quote(key));
  std::string allowed = (dir_.path() / "allowed_signers").string();
  std::ifstream pub(key + ".pub");
  std::string pubkey((std::istreambuf_iterator<char>(pub)), {});
  std::ofstream(allowed) << "noreply@argoproj.io " << pubkey;
  cfg_ = config({{"signing_key", key}, {"signing_method", "ssh"}});
  ASSERT_EQ(write_one(), "");
  EXPECT_NE(git(bare_, "cat-file commit main").find("gpgsig -----BEGIN SSH SIGNATURE-----"),
            std::string::npos);
  CommandResult v = sh("git -C " + quote(bare_.string()) +
                           " -c gpg.format=ssh -c gpg.ssh.allowedSignersFile=" + quote(allowed) +
                           " verify-commit main",
                       false);
  EXPECT_EQ(v.status, 0) << v.output;
}

TEST_F(GitSigningTest, OpenPgpSignatureVerifiesWithGit) {
  gnupg_ = (dir_.path() / "gnupg").string();
  std::filesystem::create_directories(gnupg_);
  std::filesystem::permissions(gnupg_, std::filesystem::perms::owner_all);
  ::setenv("GNUPGHOME", gnupg_.c_str(), 1);
  sh("gpg --batch --quiet --passphrase '' --quick-gen-key 'Bot <noreply@argoproj.io>' ed25519 sign "
     "never");
  std::string fpr = sh("gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr/ "
                       "{print $10; exit}' 2>/dev/null")
                        .output;
  while (!fpr.empty() && fpr.back() == '\n') fpr.pop_back();
  ASSERT_EQ(fpr.size(), 40u);
  cfg_ = config({{"signing_key", fpr}, {"signing_method", "openpgp"}});
  ASSERT_EQ(write_one(), "");
  EXPECT_NE(git(bare_, "cat-file commit main").find("gpgsig -----BEGIN PGP SIGNATURE-----"),
            std::string::npos);
  CommandResult v = sh("git -C " + quote(bare_.string()) + " verify-commit main", false);
  EXPECT_EQ(v.status, 0) << v.output;
}

TEST_F(GitSigningTest, UnusableSigningConfigurationIsRefusedAtCreate) {
  for (const auto& [key, method] : std::vector<std::pair<std::string, std::string>>{
           {"0123456789ABCDEF-no-such-key", "openpgp"},
           {(dir_.path() / "missing-key").string(), "ssh"}}) {
    try {
      make_instance(config({{"signing_key", key}, {"signing_method", method}}));
      ADD_FAILURE() << "accepted " << method << " " << key;
    } catch (const iu::plugin_host::PluginError& e) {
      EXPECT_EQ(e.status(), IU_STATUS_INVALID_ARGUMENT);
      EXPECT_NE(std::string(e.what()).find("signing_key"), std::string::npos) << e.what();
    }
  }
  try {
    make_instance(config({{"signing_method", "x509"}}));
    ADD_FAILURE() << "accepted signing_method x509";
  } catch (const iu::plugin_host::PluginError& e) {
    EXPECT_NE(std::string(e.what()).find("signing_method"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace iu::test::gitwb
