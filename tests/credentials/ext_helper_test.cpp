// End-to-end tests of `ext:` helpers: real executables written into a temporary directory.
#include "credentials/ext_helper.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "credentials/resolver.hpp"
#include "test_helpers.hpp"

namespace iu::credentials {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class ExtHelperTest : public ::testing::Test {
 protected:
  test::TempDir dir;

  std::string script(const std::string& name, const std::string& body) {
    return dir.write(name, "#!/bin/sh\n" + body + "\n");
  }

  static std::string error_of(const std::string& path, const HelperLimits& limits = {}) {
    try {
      run_credential_helper(path, "ext:" + path, limits);
    } catch (const CredentialError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error from " << path;
    return {};
  }

  // True once the process is gone or a zombie; waits at most 2 s.
  static bool eventually_dead(pid_t pid) {
    for (int i = 0; i < 200; ++i) {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string pid_text, comm, state;
      if (!(stat >> pid_text >> comm >> state) || state == "Z") return true;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }

  pid_t read_pid(const std::string& name) {
    pid_t pid = 0;
    std::ifstream(dir.path() / name) >> pid;
    return pid;
  }
};

TEST_F(ExtHelperTest, FirstLineIsTheCredentialThroughTheResolver) {
  const std::string path = script("login.sh", "echo 'robot:pa ss:word'\necho 'second:line'");
  Resolver r(nullptr);
  Credential c = r.resolve("ext:" + path, "ghcr.io");
  EXPECT_EQ(c.username, "robot");
  EXPECT_EQ(c.password, "pa ss:word");
  EXPECT_EQ(c.identity, "ext:" + path);
}

TEST_F(ExtHelperTest, RunsWithoutArgumentsAndWithStdinAtEndOfFile) {
  // `read` fails at once on /dev/null; a helper waiting for input would hit the timeout instead.
  const std::string path = script("probe.sh", "read line; echo \"args$#:read$?\"");
  HelperLimits limits;
  limits.timeout = milliseconds(5000);
  const auto start = Clock::now();
  EXPECT_EQ(run_credential_helper(path, "ext:" + path, limits), "args0:read1");
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
}

TEST_F(ExtHelperTest, NoShellIsInvolved) {
  // Without a #! line only a shell would run this text; exec itself refuses it.
  const std::string path = dir.write("plain", "echo user:pass\n");
  EXPECT_EQ(error_of(path), "ext:" + path + ": cannot run: Exec format error");
}

TEST_F(ExtHelperTest, NonZeroExitQuotesStderrButNeverStdout) {
  const std::string path =
      script("fail.sh", "echo 'user:topsecret'\necho 'login failed: token expired' >&2\nexit 3");
  const std::string e = error_of(path);
  EXPECT_EQ(e, "ext:" + path + ": exited with status 3: stderr: login failed: token expired");
  EXPECT_EQ(e.find("topsecret"), std::string::npos);
}

TEST_F(ExtHelperTest, StderrExcerptIsLimitedTo1KiB) {
  const std::string path = script("noisy.sh", "head -c 5000 /dev/zero | tr '\\0' 'e' >&2\nexit 1");
  const std::string e = error_of(path);
  const std::string prefix = "ext:" + path + ": exited with status 1: stderr: ";
  ASSERT_EQ(e.substr(0, prefix.size()), prefix);
  EXPECT_EQ(e.substr(prefix.size()), std::string(1024, 'e'));
}

TEST_F(ExtHelperTest, TimeoutKillsTheWholeProcessGroup) {
  // The grandchild inherits the pipes; only killing the group lets the call return.
  const std::string path =
      script("hang.sh", "sleep 30 &\necho $! > " + (dir.path() / "grandchild").string() +
                            "\necho 'waiting' >&2\nsleep 30");
  HelperLimits limits;
  limits.timeout = milliseconds(300);
  const auto start = Clock::now();
  const std::string e = error_of(path, limits);
  const auto took = Clock::now() - start;
  EXPECT_EQ(e, "ext:" + path + ": timed out after 300ms (process group killed): stderr: waiting");
  EXPECT_GE(took, milliseconds(300));
  EXPECT_LT(took, milliseconds(2500));
  const pid_t grandchild = read_pid("grandchild");
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(eventually_dead(grandchild));
}

TEST_F(ExtHelperTest, LeftoverChildDoesNotDelayASuccessfulHelper) {
  const std::string path =
      script("daemon.sh",
             "sleep 30 &\necho $! > " + (dir.path() / "leftover").string() + "\necho 'user:pw'");
  const auto start = Clock::now();
  EXPECT_EQ(run_credential_helper(path, "ext:" + path), "user:pw");
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  const pid_t leftover = read_pid("leftover");
  ASSERT_GT(leftover, 0);
  EXPECT_TRUE(eventually_dead(leftover));
}

TEST_F(ExtHelperTest, OversizedOutputIsAnError) {
  const std::string endless = script("yes.sh", "exec yes user:pass");
  EXPECT_EQ(error_of(endless), "ext:" + endless + ": output exceeds 65536 bytes");
  const std::string big = script("big.sh", "head -c 70000 /dev/zero | tr '\\0' 'x'");
  EXPECT_EQ(error_of(big), "ext:" + big + ": output exceeds 65536 bytes");
  // Just under the limit is fine.
  const std::string fits = script("fits.sh", "echo a:b\nhead -c 60000 /dev/zero");
  EXPECT_EQ(run_credential_helper(fits, "ext:" + fits), "a:b");
}

TEST_F(ExtHelperTest, DeathBySignalAndEmptyOutput) {
  const std::string killed = script("killed.sh", "kill -9 $$");
  EXPECT_EQ(error_of(killed), "ext:" + killed + ": killed by signal 9");
  const std::string silent = script("silent.sh", "exit 0");
  EXPECT_EQ(error_of(silent),
            "ext:" + silent + ": printed no credentials on its first output line");
  const std::string no_colon = script("token.sh", "echo justatoken");
  Resolver r(nullptr);
  try {
    r.resolve("ext:" + no_colon, "");
    ADD_FAILURE() << "no error";
  } catch (const CredentialError& e) {
    EXPECT_EQ(std::string(e.what()),
              "ext:" + no_colon + ": the first output line is not in the form user:password");
  }
}

TEST_F(ExtHelperTest, BadPaths) {
  EXPECT_EQ(error_of("relative/login.sh"), "ext:relative/login.sh: the path is not absolute");
  const std::string missing = (dir.path() / "missing.sh").string();
  EXPECT_EQ(error_of(missing), "ext:" + missing + ": cannot run: No such file or directory");
  const std::string not_exec = dir.write("plain.sh", "#!/bin/sh\necho a:b\n", 0644);
  EXPECT_EQ(error_of(not_exec), "ext:" + not_exec + ": cannot run: not executable");
  EXPECT_EQ(error_of(dir.path().string()),
            "ext:" + dir.path().string() + ": cannot run: not a regular file");
  Resolver r(nullptr);
  EXPECT_THROW(r.resolve("ext:login.sh", ""), CredentialError);
}

TEST_F(ExtHelperTest, ConcurrentHelpersAreIndependent) {
  std::vector<std::string> paths;
  for (int i = 0; i < 4; ++i)
    paths.push_back(script("h" + std::to_string(i) + ".sh", "echo u" + std::to_string(i) + ":p"));
  std::vector<std::string> results(paths.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < paths.size(); ++i)
    threads.emplace_back([&, i] { results[i] = run_credential_helper(paths[i], "ext:x"); });
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < paths.size(); ++i) EXPECT_EQ(results[i], "u" + std::to_string(i) + ":p");
}

}  // namespace
}  // namespace iu::credentials
