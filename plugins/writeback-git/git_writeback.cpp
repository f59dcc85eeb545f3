#include "git_writeback.hpp"

#include "apply.hpp"
#include "batch_writer.hpp"
#include "branches.hpp"
#include "edits.hpp"
#include "iu/yamledit/error.hpp"
#include "repo_cache.hpp"
#include "repo_url.hpp"
#include "retry.hpp"
#include "targets.hpp"
#include "tree_files.hpp"

namespace iu::gitwb {
namespace {

using iu::sdk::Error;
using Clock = std::chrono::steady_clock;

// How long a learnt default branch is trusted by batch_key.
constexpr auto kDefaultBranchTtl = std::chrono::minutes(5);

GitCredentials credentials_of(const Intent& in) {
  return GitCredentials{in.git_username, in.git_password, in.git_ssh_private_key};
}

iu_status status_of(const GitError& e) {
  return e.code() == GIT_EAUTH ? IU_STATUS_UNAUTHENTICATED
         : e.network()         ? IU_STATUS_TRANSIENT
                               : IU_STATUS_INTERNAL;
}

}  // namespace

GitWriteback::GitWriteback(iu::sdk::Call& call)
    : config_(Config::load(call)),
      signer_(Signer::create(config_)),
      metrics_(call),
      messages_(config_.commit_message_template, [&call](const std::string& w) { call.warn(w); }) {}

std::string GitWriteback::default_branch(const iu::sdk::Call& call, const Intent& in) {
  const std::string key = normalize_url(in.repository);
  {
    std::lock_guard lock(mu_);
    auto it = known_.find(key);
    if (it != known_.end() && !it->second.default_branch.empty() &&
        Clock::now() - it->second.listed < kDefaultBranchTtl)
      return it->second.default_branch;
  }
  GitCredentials creds = credentials_of(in);
  Remote remote(nullptr, in.repository, creds);
  RemoteHeads heads;
  try {
    with_network_retries(config_, call, [&] { heads = remote.list(); });
  } catch (const GitError& e) {
    throw Error(status_of(e), "git " + display_url(in.repository) + "@HEAD: " + e.what());
  }
  if (heads.default_branch.empty())
    throw Error(IU_STATUS_INVALID_ARGUMENT,
                "git " + display_url(in.repository) +
                    "@HEAD: target_revision: the remote does not advertise a default branch; set "
                    "the branch");
  std::lock_guard lock(mu_);
  Known& k = known_[key];
  k.listed = Clock::now();
  k.default_branch = heads.default_branch;
  return heads.default_branch;
}

std::string GitWriteback::batch_key(iu::sdk::Call& call, const iu_write_intent& raw) {
  Intent in = Intent::from(raw);
  if (in.repository.empty())
    throw Error(IU_STATUS_INVALID_ARGUMENT,
                "git: repository: not set (gitConfig.repository or the source's repoURL)");
  BranchPlan plan;
  try {
    plan = plan_branches(in);
  } catch (const Error& e) {
    throw Error(e.status(), "git " + display_url(in.repository) + ": " + e.what());
  }
  std::string branch = !plan.target.empty() ? plan.target
                       : !plan.base.empty() ? plan.base
                                            : default_branch(call, in);
  return normalize_url(in.repository) + "@" + branch;
}

void GitWriteback::write_batch(iu::sdk::Call& call, std::span<const iu_write_intent* const> intents,
                               iu::sdk::WriteResultSink& out) {
  WriterContext ctx{config_, signer_.get(), metrics_, messages_};
  std::vector<iu::sdk::WriteResult> results = gitwb::write_batch(ctx, call, intents);
  {
    // Our own push makes remembered tips stale: read_current must fetch again.
    std::lock_guard lock(mu_);
    for (const iu_write_intent* raw : intents)
      if (auto it = known_.find(normalize_url(Intent::from(*raw).repository)); it != known_.end())
        it->second.fetched = {};
  }
  for (size_t i = 0; i < results.size(); ++i) out.put(i, results[i]);
}

std::vector<std::pair<uint64_t, iu::sdk::CurrentValue>> GitWriteback::read_current(
    iu::sdk::Call& call, const iu_write_intent& raw) {
  Intent in = Intent::from(raw);
  const std::string key = normalize_url(in.repository);
  std::string where = "git " + display_url(in.repository);
  if (in.repository.empty())
    throw Error(IU_STATUS_INVALID_ARGUMENT,
                "git: repository: not set (gitConfig.repository or the source's repoURL)");
  try {
    BranchPlan plan = plan_branches(in);
    Target target = resolve_target(in);
    CachedRepo cache(config_.cache_dir.empty() ? CachedRepo::default_root()
                                               : std::filesystem::path(config_.cache_dir),
                     in.repository);
    GitCredentials creds = credentials_of(in);
    Remote remote(cache.get(), in.repository, creds);

    // Reuse the last fetch while it is fresh and covers the branches needed.
    RemoteHeads heads;
    bool fresh = false;
    {
      std::lock_guard lock(mu_);
      if (auto it = known_.find(key);
          it != known_.end() && Clock::now() - it->second.fetched < config_.read_cache_ttl) {
        const Known& k = it->second;
        fresh = true;
        std::string base = plan.base.empty() ? k.heads.default_branch : plan.base;
        for (const std::string& b : {base, plan.push_branch(k.heads.default_branch)})
          if (k.heads.tip(b) != nullptr && k.fetched_branches.count(b) == 0) fresh = false;
        if (fresh) heads = k.heads;
      }
    }
    if (!fresh) {
      std::set<std::string> wanted_set;
      with_network_retries(config_, call, [&] {
        heads = remote.fetch([&](const RemoteHeads& h) {
          std::vector<std::string> wanted;
          {
            std::lock_guard lock(mu_);
            if (auto it = known_.find(key); it != known_.end())
              wanted.assign(it->second.fetched_branches.begin(), it->second.fetched_branches.end());
          }
          wanted.push_back(plan.base.empty() ? h.default_branch : plan.base);
          wanted.push_back(plan.push_branch(h.default_branch));
          wanted_set = std::set<std::string>(wanted.begin(), wanted.end());
          return wanted;
        });
      });
      std::lock_guard lock(mu_);
      Known& k = known_[key];
      k.fetched = k.listed = Clock::now();
      k.default_branch = heads.default_branch;
      k.heads = heads;
      k.fetched_branches = wanted_set;
    }
    std::string base = plan.base.empty() ? heads.default_branch : plan.base;
    std::string push = plan.push_branch(heads.default_branch);
    where += "@" + push;
    const git_oid* tip = heads.tip(push);
    if (tip == nullptr) tip = heads.tip(base);
    if (tip == nullptr)
      throw Error(IU_STATUS_INVALID_ARGUMENT,
                  plan.base_field + ": \"" + base + "\" is not a branch of the remote");
    git_commit* raw_commit = nullptr;
    check(git_commit_lookup(&raw_commit, cache.get(), tip), "cannot read the branch tip");
    CommitPtr commit(raw_commit);
    TreeFiles files(cache.get(), *git_commit_tree_id(commit.get()));
    std::optional<std::string> path = existing_target_file(files, target);
    if (!path) return {};
    try {
      auto doc = iu::yamledit::Document::parse(*files.read(*path));
      std::vector<std::pair<uint64_t, iu::sdk::CurrentValue>> out;
      for (auto& [index, e] : read_entries(doc, target, in))
        out.emplace_back(index, iu::sdk::CurrentValue{e.image_name, e.tag, e.digest});
      return out;
    } catch (const iu::yamledit::EditError& e) {
      throw Error(IU_STATUS_INVALID_ARGUMENT, *path + ":" + (e.line() > 0 ? "" : " ") + e.what());
    }
  } catch (const Error& e) {
    throw Error(e.status(), where + ": " + e.what());
  } catch (const GitError& e) {
    throw Error(status_of(e), where + ": " + e.what());
  } catch (const std::exception& e) {
    throw Error(IU_STATUS_INTERNAL, where + ": " + e.what());
  }
}

}  // namespace iu::gitwb
