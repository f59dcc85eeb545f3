// Test support for the git write-back: the fixtures' git server (git daemon + smart HTTP,
// started on free ports in a temp folder and always stopped), shell helpers around the git CLI
// (used only to set up and inspect repositories), and bare-repository inspection.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace iu::test::gitwb {

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs `command` with /bin/sh; git runs without system/global configuration and with a fixed
// identity. Throws std::runtime_error when `must_succeed` and the command fails.
CommandResult sh(const std::string& command, bool must_succeed = true);

// Single-quotes `s` for the shell.
std::string quote(const std::string& s);

// A fresh temporary folder, removed by the destructor.
using iu::test::TempDir;

class GitServer {
 public:
  // `options` are extra `gitserver.sh start` options, e.g. {"--user", "bot:s3cret"}.
  explicit GitServer(const std::vector<std::string>& options = {});
  ~GitServer();  // stops the servers (also when a test failed)
  GitServer(const GitServer&) = delete;
  GitServer& operator=(const GitServer&) = delete;

  // Creates a seeded bare repository (`create-repo NAME --layout all` plus `extra`) with
  // core.logAllRefUpdates enabled, so that every pushed update is in its reflog.
  std::string create_repo(const std::string& name, const std::vector<std::string>& extra = {});

  std::string daemon_url(const std::string& name) const;
  std::string http_url(const std::string& name) const;
  std::string http_root() const;  // http://127.0.0.1:PORT
  std::filesystem::path bare(const std::string& name) const;

 private:
  TempDir dir_;
  std::map<std::string, std::string> env_;
};

// faults.py as a plain reverse proxy in front of the smart HTTP server. libgit2 sends pushes
// with a chunked request body, which lighttpd's CGI gateway answers with 411 Length Required
// while it streams request bodies (server.stream-request-body = 2 in gitserver.sh); the proxy
// re-frames bodies with Content-Length. It also counts requests (/__stats).
class HttpProxy {
 public:
  explicit HttpProxy(const std::string& upstream);
  ~HttpProxy();
  HttpProxy(const HttpProxy&) = delete;
  HttpProxy& operator=(const HttpProxy&) = delete;
  const std::string& url() const { return url_; }
  // Number of requests the proxy saw for "<METHOD> <path>".
  int count(const std::string& method_path) const;

 private:
  TempDir dir_;
  std::string url_;
};

// git -C <bare> <args>; returns trimmed stdout.
std::string git(const std::filesystem::path& repo, const std::string& args);
// The commit a branch points at in a bare repository ("" when the branch does not exist).
std::string rev(const std::filesystem::path& bare, const std::string& branch);
// A file's content at a branch tip.
std::string show(const std::filesystem::path& bare, const std::string& branch,
                 const std::string& path);
// Number of commits on `branch` (all ancestors).
int commit_count(const std::filesystem::path& bare, const std::string& branch);

// One reflog line of a bare repository's branch: old and new commit and the message.
struct RefUpdate {
  std::string old_oid, new_oid, message;
};
std::vector<RefUpdate> reflog(const std::filesystem::path& bare, const std::string& branch);
// True when every update in the reflog moved the branch forward (old is an ancestor of new).
bool only_fast_forwards(const std::filesystem::path& bare, const std::string& branch);

}  // namespace iu::test::gitwb
