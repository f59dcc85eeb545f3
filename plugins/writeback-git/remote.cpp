#include "remote.hpp"

#include <cstring>

namespace iu::gitwb {
namespace {

struct PushState {
  CredentialState* auth = nullptr;
  std::string dst_ref;
  git_oid commit{};
  std::optional<git_oid> expected;
  bool stale = false;           // the remote branch is not where we built on
  bool already_pushed = false;  // the remote branch already is our commit
  std::string stale_reason;
  std::string rejected;  // status reported by the server for our ref
};

int credentials_cb(git_credential** out, const char* url, const char* user, unsigned int allowed,
                   void* payload) {
  return acquire_credentials(out, url, user, allowed, payload);
}

int push_credentials_cb(git_credential** out, const char* url, const char* user,
                        unsigned int allowed, void* payload) {
  return acquire_credentials(out, url, user, allowed, static_cast<PushState*>(payload)->auth);
}

int push_negotiation_cb(const git_push_update** updates, size_t len, void* payload) {
  auto* st = static_cast<PushState*>(payload);
  for (size_t i = 0; i < len; ++i) {
    const git_push_update* u = updates[i];
    if (st->dst_ref != u->dst_refname) continue;
    bool remote_absent = git_oid_is_zero(&u->src) != 0;
    if (git_oid_equal(&u->src, &st->commit) != 0) {
      st->already_pushed = true;
    } else if (st->expected ? !remote_absent && git_oid_equal(&u->src, &*st->expected) != 0
                            : remote_absent) {
      continue;
    } else {
      st->stale = true;
      st->stale_reason = remote_absent  ? "the remote branch was deleted since the fetch"
                         : st->expected ? "the remote branch moved since the fetch"
                                        : "the remote branch was created since the fetch";
    }
    git_error_set_str(GIT_ERROR_CALLBACK, "push cancelled by the compare-and-swap check");
    return GIT_EUSER;
  }
  return 0;
}

// An in-memory remote for `url` (repo may be null). insteadOf rewriting is skipped: the cache
// repositories never configure it, and libgit2 1.5 applies it by matching every config entry
// against a PCRE2 pattern whose match data it does not free when nothing matches (a leak per
// remote created).
RemotePtr create_remote(git_repository* repo, const std::string& url) {
  git_remote_create_options opts = GIT_REMOTE_CREATE_OPTIONS_INIT;
  opts.repository = repo;
  opts.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
  git_remote* raw = nullptr;
  check(git_remote_create_with_opts(&raw, url.c_str(), &opts), "invalid repository URL");
  return RemotePtr(raw);
}

int push_update_reference_cb(const char* refname, const char* status, void* payload) {
  auto* st = static_cast<PushState*>(payload);
  if (status != nullptr && st->dst_ref == refname) st->rejected = status;
  return 0;
}

}  // namespace

Remote::Remote(git_repository* repo, std::string url, const GitCredentials& credentials)
    : repo_(repo), url_(std::move(url)) {
  auth_.credentials = &credentials;
}

void Remote::rethrow(const GitError& e) const {
  std::string message = e.what();
  const std::string& secret = auth_.credentials->password;
  if (!secret.empty())
    for (size_t p; (p = message.find(secret)) != std::string::npos;)
      message.replace(p, secret.size(), "***");
  if (auth_.failed() || e.code() == GIT_EAUTH)
    throw GitError(GIT_EAUTH, e.klass(), auth_.failed() ? auth_.describe() : message);
  throw GitError(e.code(), e.klass(), message);
}

RemotePtr Remote::connect(int direction) {
  RemotePtr remote = create_remote(repo_, url_);
  git_remote_callbacks cb = GIT_REMOTE_CALLBACKS_INIT;
  cb.credentials = credentials_cb;
  cb.payload = &auth_;
  auth_.reset();
  try {
    check(git_remote_connect(remote.get(), static_cast<git_direction>(direction), &cb, nullptr,
                             nullptr),
          "cannot connect");
  } catch (const GitError& e) {
    rethrow(e);
  }
  return remote;
}

RemoteHeads Remote::heads(git_remote* remote) {
  const git_remote_head** list = nullptr;
  size_t n = 0;
  check(git_remote_ls(&list, &n, remote), "cannot list the remote references");
  RemoteHeads out;
  const git_oid* head = nullptr;
  for (size_t i = 0; i < n; ++i) {
    std::string_view name = list[i]->name;
    if (name == "HEAD") head = &list[i]->oid;
    if (name.starts_with("refs/heads/"))
      out.branches.emplace(std::string(name.substr(11)), list[i]->oid);
  }
  Buf def;
  if (git_remote_default_branch(&def.buf, remote) == 0) {
    std::string ref = def.str();
    if (ref.starts_with("refs/heads/")) out.default_branch = ref.substr(11);
  } else if (head != nullptr) {
    // No symref advertised: the branch HEAD points at, preferring main and master.
    for (const char* preferred : {"main", "master"})
      if (const git_oid* t = out.tip(preferred); t != nullptr && git_oid_equal(t, head) != 0)
        out.default_branch = preferred;
    if (out.default_branch.empty())
      for (const auto& [b, oid] : out.branches)
        if (git_oid_equal(&oid, head) != 0) {
          out.default_branch = b;
          break;
        }
  }
  git_error_clear();
  return out;
}

RemoteHeads Remote::list() {
  RemotePtr remote = connect(GIT_DIRECTION_FETCH);
  return heads(remote.get());
}

RemoteHeads Remote::fetch(const Wanted& wanted_of) {
  RemotePtr remote = connect(GIT_DIRECTION_FETCH);
  RemoteHeads out = heads(remote.get());
  std::vector<std::string> wanted = wanted_of(out);
  std::vector<std::string> specs;
  for (const std::string& b : wanted)
    if (out.tip(b) != nullptr) specs.push_back("+refs/heads/" + b + ":refs/remotes/origin/" + b);
  if (!specs.empty()) {
    std::vector<char*> ptrs;
    for (auto& s : specs) ptrs.push_back(s.data());
    git_strarray arr{ptrs.data(), ptrs.size()};
    git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
    opts.callbacks.credentials = credentials_cb;
    opts.callbacks.payload = &auth_;
    opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    try {
      check(git_remote_download(remote.get(), &arr, &opts), "cannot fetch");
    } catch (const GitError& e) {
      rethrow(e);
    }
    for (const std::string& b : wanted) {
      const git_oid* tip = out.tip(b);
      if (tip == nullptr) continue;
      git_reference* ref = nullptr;
      check(
          git_reference_create(&ref, repo_, ("refs/remotes/origin/" + b).c_str(), tip, 1, "fetch"),
          "cannot record the fetched tip of " + b);
      git_reference_free(ref);
    }
  }
  git_remote_disconnect(remote.get());
  return out;
}

PushOutcome Remote::push(const std::string& branch, const git_oid& commit,
                         const std::optional<git_oid>& expected) {
  std::string ref = "refs/heads/" + branch;
  git_reference* local = nullptr;
  check(git_reference_create(&local, repo_, ref.c_str(), &commit, 1, "commit to push"),
        "cannot record the commit to push");
  git_reference_free(local);

  RemotePtr remote = create_remote(repo_, url_);
  PushState st;
  st.auth = &auth_;
  st.dst_ref = ref;
  st.commit = commit;
  st.expected = expected;
  auth_.reset();
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks.credentials = push_credentials_cb;
  opts.callbacks.push_negotiation = push_negotiation_cb;
  opts.callbacks.push_update_reference = push_update_reference_cb;
  opts.callbacks.payload = &st;
  std::string spec = ref + ":" + ref;  // never '+': no forced update
  char* specs[] = {spec.data()};
  git_strarray arr{specs, 1};
  int rc = git_remote_push(remote.get(), &arr, &opts);
  if (st.already_pushed) return {PushStatus::kPushed, ""};
  if (st.stale) return {PushStatus::kRejected, st.stale_reason};
  if (rc == GIT_ENONFASTFORWARD) return {PushStatus::kRejected, "non-fast-forward"};
  try {
    check(rc, "cannot push");
  } catch (const GitError& e) {
    rethrow(e);
  }
  if (!st.rejected.empty()) return {PushStatus::kRejected, st.rejected};
  return {PushStatus::kPushed, ""};
}

}  // namespace iu::gitwb
