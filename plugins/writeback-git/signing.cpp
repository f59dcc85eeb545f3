#include "signing.hpp"

#include <fcntl.h>
#include <gpgme.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "iu/plugin.hpp"

extern char** environ;

namespace iu::gitwb {
namespace {

using iu::sdk::Error;

std::string gpg_error_text(gpgme_error_t err) { return gpgme_strerror(err); }

class OpenPgpSigner : public Signer {
 public:
  explicit OpenPgpSigner(std::string key_id) : key_id_(std::move(key_id)) {
    gpgme_check_version(nullptr);
    Context ctx;
    gpgme_key_t key = nullptr;
    gpgme_error_t err = gpgme_get_key(ctx.ctx, key_id_.c_str(), &key, 1);
    if (err != 0)
      throw Error(IU_STATUS_INVALID_ARGUMENT,
                  "writeback git: signing_key: no OpenPGP secret key \"" + key_id_ +
                      "\" in the keyring: " + gpg_error_text(err));
    bool can_sign = key->can_sign != 0;
    gpgme_key_unref(key);
    if (!can_sign)
      throw Error(IU_STATUS_INVALID_ARGUMENT,
                  "writeback git: signing_key: OpenPGP key \"" + key_id_ + "\" cannot sign");
  }

  std::string sign(const std::string& buffer) const override {
    Context ctx;
    gpgme_key_t key = nullptr;
    if (gpgme_error_t err = gpgme_get_key(ctx.ctx, key_id_.c_str(), &key, 1); err != 0)
      throw Error(IU_STATUS_INTERNAL,
                  "OpenPGP signing: key \"" + key_id_ + "\": " + gpg_error_text(err));
    gpgme_error_t err = gpgme_signers_add(ctx.ctx, key);
    gpgme_key_unref(key);
    gpgme_data_t in = nullptr, out = nullptr;
    if (err == 0) err = gpgme_data_new_from_mem(&in, buffer.data(), buffer.size(), 0);
    if (err == 0) err = gpgme_data_new(&out);
    if (err == 0) err = gpgme_op_sign(ctx.ctx, in, out, GPGME_SIG_MODE_DETACH);
    if (in != nullptr) gpgme_data_release(in);
    std::string sig;
    if (out != nullptr) {
      size_t n = 0;
      char* mem = gpgme_data_release_and_get_mem(out, &n);
      if (mem != nullptr) sig.assign(mem, n);
      gpgme_free(mem);
    }
    if (err != 0) throw Error(IU_STATUS_INTERNAL, "OpenPGP signing failed: " + gpg_error_text(err));
    return sig;
  }

 private:
  struct Context {
    gpgme_ctx_t ctx = nullptr;
    Context() {
      if (gpgme_error_t err = gpgme_new(&ctx); err != 0)
        throw Error(IU_STATUS_INTERNAL, "OpenPGP: " + gpg_error_text(err));
      gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP);
      gpgme_set_armor(ctx, 1);
    }
    ~Context() { gpgme_release(ctx); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
  };

  std::string key_id_;
};

// Runs `argv` with `input` on stdin; returns {exit status, stdout, stderr}.
struct ProcessResult {
  int status = -1;
  std::string out, err;
};

std::string read_all(int fd) {
  std::string s;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n > 0)
      s.append(buf, static_cast<size_t>(n));
    else if (n == 0 || errno != EINTR)
      break;
  }
  return s;
}

ProcessResult run(const std::vector<std::string>& argv, const std::string& input) {
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw Error(IU_STATUS_INTERNAL, "pipe failed");
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    throw Error(IU_STATUS_INTERNAL, "pipe failed");
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    for (int fd : {in[0], in[1], out[0], out[1]}) ::close(fd);
    throw Error(IU_STATUS_INTERNAL, "pipe failed");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  ProcessResult r;
  if (rc != 0) {
    for (int fd : {in[1], out[0], err[0]}) ::close(fd);
    throw Error(IU_STATUS_INTERNAL, argv[0] + ": cannot start: " + std::strerror(rc));
  }
  // ssh-keygen reads all of its input before it writes, so writing first cannot dead-lock.
  for (size_t off = 0; off < input.size();) {
    ssize_t n = ::write(in[1], input.data() + off, input.size() - off);
    if (n > 0)
      off += static_cast<size_t>(n);
    else if (errno != EINTR)
      break;
  }
  ::close(in[1]);
  r.out = read_all(out[0]);
  r.err = read_all(err[0]);
  ::close(out[0]);
  ::close(err[0]);
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

class SshSigner : public Signer {
 public:
  explicit SshSigner(std::string key_file) : key_file_(std::move(key_file)) {
    std::ifstream f(key_file_);
    if (!f)
      throw Error(IU_STATUS_INVALID_ARGUMENT,
                  "writeback git: signing_key: cannot read SSH key file \"" + key_file_ +
                      "\": " + std::strerror(errno));
  }

  std::string sign(const std::string& buffer) const override {
    ProcessResult r = run({"ssh-keygen", "-Y", "sign", "-n", "git", "-f", key_file_}, buffer);
    if (r.status != 0 || r.out.find("BEGIN SSH SIGNATURE") == std::string::npos)
      throw Error(IU_STATUS_INTERNAL,
                  "SSH signing with \"" + key_file_ +
                      "\" failed: " + (r.err.empty() ? "exit " + std::to_string(r.status) : r.err));
    return r.out;
  }

 private:
  std::string key_file_;
};

}  // namespace

std::unique_ptr<Signer> Signer::create(const Config& config) {
  if (config.signing_key.empty()) return nullptr;
  if (config.signing_method == "ssh") return std::make_unique<SshSigner>(config.signing_key);
  return std::make_unique<OpenPgpSigner>(config.signing_key);
}

}  // namespace iu::gitwb
