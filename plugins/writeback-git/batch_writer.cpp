#include "batch_writer.hpp"

#include <optional>

#include "apply.hpp"
#include "branches.hpp"
#include "commit.hpp"
#include "commit_message.hpp"
#include "credentials.hpp"
#include "remote.hpp"
#include "repo_cache.hpp"
#include "repo_url.hpp"
#include "retry.hpp"
#include "tree_files.hpp"

namespace iu::gitwb {
namespace {

using iu::sdk::WriteResult;

struct Slot {
  Intent intent;
  BranchPlan plan;
  Target target;
  bool failed = false;
  IntentOutcome outcome;
  WriteResult result;
};

enum class Step { kDone, kRejected };

class Batch {
 public:
  Batch(const WriterContext& ctx, const iu::sdk::Call& call,
        std::span<const iu_write_intent* const> raw)
      : ctx_(ctx), call_(call), slots_(raw.size()) {
    for (size_t i = 0; i < raw.size(); ++i) parse(i, *raw[i]);
  }

  std::vector<WriteResult> run() {
    if (lead_ != nullptr) {
      try {
        land();
      } catch (const GitError& e) {
        if (pushing_) ctx_.metrics.push(call_, repo_key_, "error");
        fail_all(e.code() == GIT_EAUTH ? IU_STATUS_UNAUTHENTICATED
                 : e.network()         ? IU_STATUS_TRANSIENT
                                       : IU_STATUS_INTERNAL,
                 e.what());
      } catch (const iu::sdk::Error& e) {
        fail_all(e.status(), e.what());
      } catch (const std::exception& e) {
        fail_all(IU_STATUS_INTERNAL, e.what());
      }
    }
    std::vector<WriteResult> out;
    for (Slot& s : slots_) out.push_back(std::move(s.result));
    return out;
  }

 private:
  std::string prefix() const { return "git " + display_url(url_) + "@" + branch_ + ": "; }

  void fail(Slot& s, iu_status status, const std::string& message) {
    s.failed = true;
    s.result = WriteResult{status, prefix() + message, 0};
  }
  void fail_all(iu_status status, const std::string& message) {
    for (Slot& s : slots_)
      if (!s.failed) fail(s, status, message);
  }

  void parse(size_t i, const iu_write_intent& raw) {
    Slot& s = slots_[i];
    try {
      s.intent = Intent::from(raw);
      if (s.intent.repository.empty())
        throw iu::sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                             "repository: not set (gitConfig.repository or the source's repoURL)");
      s.plan = plan_branches(s.intent);
      s.target = resolve_target(s.intent);
    } catch (const iu::sdk::Error& e) {
      s.failed = true;
      s.result =
          WriteResult{e.status(), "git " + display_url(s.intent.repository) + ": " + e.what(), 0};
      return;
    }
    if (lead_ == nullptr) {
      lead_ = &s;
      url_ = s.intent.repository;
      repo_key_ = normalize_url(url_);
      branch_ = !s.plan.target.empty() ? s.plan.target
                : !s.plan.base.empty() ? s.plan.base
                                       : "HEAD";
    } else if (normalize_url(s.intent.repository) != repo_key_) {
      fail(s, IU_STATUS_INTERNAL,
           "intent for " + display_url(s.intent.repository) +
               " was batched with another repository");
      return;
    }
    if (credentials_.empty())
      credentials_ = GitCredentials{s.intent.git_username, s.intent.git_password,
                                    s.intent.git_ssh_private_key};
  }

  void land() {
    std::filesystem::path root = ctx_.config.cache_dir.empty()
                                     ? CachedRepo::default_root()
                                     : std::filesystem::path(ctx_.config.cache_dir);
    CachedRepo cache(root, url_);
    Remote remote(cache.get(), url_, credentials_);
    const int attempts = ctx_.config.push_attempts;
    for (int attempt = 1; attempt <= attempts; ++attempt) {
      if (call_.cancelled()) return fail_all(IU_STATUS_CANCELLED, "cancelled");
      if (attempt_once(cache.get(), remote) == Step::kDone) return;
      ctx_.metrics.push(call_, repo_key_, "rejected");
      if (attempt == attempts) {
        return fail_all(IU_STATUS_CONFLICT,
                        "push rejected " + std::to_string(attempts) +
                            " times, giving up (last reason: " + reject_reason_ +
                            "); the update is retried next pass");
      }
      call_.info("push to " + display_url(url_) + "@" + branch_ + " rejected (" + reject_reason_ +
                 "): fetching the new tip and re-applying " + std::to_string(pending()) +
                 " intents (attempt " + std::to_string(attempt + 1) + "/" +
                 std::to_string(attempts) + ")");
      ctx_.metrics.push_retry(call_, repo_key_);
      if (!sleep_unless_cancelled(call_, push_delay(attempt)))
        return fail_all(IU_STATUS_CANCELLED, "cancelled");
    }
  }

  size_t pending() const {
    size_t n = 0;
    for (const Slot& s : slots_) n += s.failed ? 0 : 1;
    return n;
  }

  Step attempt_once(git_repository* repo, Remote& remote) {
    RemoteHeads heads;
    with_network_retries(ctx_.config, call_, [&] {
      heads = remote.fetch([&](const RemoteHeads& h) {
        std::vector<std::string> wanted;
        for (const Slot& s : slots_) {
          if (s.failed) continue;
          wanted.push_back(s.plan.base.empty() ? h.default_branch : s.plan.base);
          wanted.push_back(s.plan.push_branch(h.default_branch));
        }
        return wanted;
      });
    });
    const BranchPlan& plan = lead_->plan;
    std::string base = plan.base.empty() ? heads.default_branch : plan.base;
    if (base.empty()) {
      fail_all(IU_STATUS_INVALID_ARGUMENT,
               "target_revision: the remote does not advertise a default branch; set the branch");
      return Step::kDone;
    }
    branch_ = plan.push_branch(heads.default_branch);
    for (Slot& s : slots_)
      if (!s.failed && s.plan.push_branch(heads.default_branch) != branch_)
        fail(s, IU_STATUS_INTERNAL,
             "intent for branch " + s.plan.push_branch(heads.default_branch) +
                 " was batched with another branch");
    const git_oid* base_tip = heads.tip(base);
    if (base_tip == nullptr) {
      fail_all(IU_STATUS_INVALID_ARGUMENT,
               plan.base_field + ": \"" + base +
                   "\" is not a branch of the remote (tags and commits cannot be written to)");
      return Step::kDone;
    }
    const git_oid* push_tip = heads.tip(branch_);
    const git_oid start = push_tip != nullptr ? *push_tip : *base_tip;
    git_commit* raw_start = nullptr;
    check(git_commit_lookup(&raw_start, repo, &start), "cannot read the branch tip");
    CommitPtr start_commit(raw_start);
    const git_oid start_tree = *git_commit_tree_id(start_commit.get());

    TreeFiles files(repo, start_tree), dry(repo, start_tree);
    std::vector<const Intent*> applied;
    for (Slot& s : slots_) {
      if (s.failed) continue;
      s.outcome = apply_intent(s.intent.dry_run ? dry : files, s.intent, s.target);
      if (!s.outcome.ok) continue;
      if (s.outcome.changes > 0 && !s.intent.dry_run) applied.push_back(&s.intent);
    }
    log_dry_run(dry);

    git_oid tree = files.write_tree();
    if (git_oid_equal(&tree, &start_tree) != 0) {
      finish(nullptr);
      return Step::kDone;
    }
    std::string message =
        ctx_.messages.batch(applied, [this](const std::string& w) { call_.warn(w); });
    if (ctx_.config.sign_off)
      message = with_sign_off(message, ctx_.config.commit_user, ctx_.config.commit_email);
    git_oid commit = create_commit(repo, ctx_.config, ctx_.signer, tree, start, message);
    const std::string sha = oid_hex(commit);
    call_.info("committing " + std::to_string(applied.size()) + " application(s) to " +
               display_url(url_) + "@" + branch_ + " as " + sha +
               (push_tip == nullptr ? " (new branch from " + base + ")" : std::string()));
    std::optional<git_oid> expected;
    if (push_tip != nullptr) expected = *push_tip;
    PushOutcome pushed;
    pushing_ = true;
    with_network_retries(ctx_.config, call_,
                         [&] { pushed = remote.push(branch_, commit, expected); });
    pushing_ = false;
    if (pushed.status == PushStatus::kRejected) {
      reject_reason_ = pushed.reason;
      return Step::kRejected;
    }
    ctx_.metrics.push(call_, repo_key_, "success");
    ctx_.metrics.commit(call_, repo_key_);
    call_.info("pushed " + sha + " to " + display_url(url_) + "@" + branch_);
    finish(&sha);
    return Step::kDone;
  }

  void log_dry_run(TreeFiles& dry) {
    bool any = false;
    for (Slot& s : slots_) {
      if (s.failed || !s.intent.dry_run || !s.outcome.ok) continue;
      any = true;
      call_.info("Dry run - not committing " + std::to_string(s.outcome.changes) +
                 " changes to application " + s.intent.app_name);
    }
    if (!any) return;
    for (const TreeFiles::Edited& f : dry.edited())
      call_.info("Dry run - diff of " + display_url(url_) + "@" + branch_ + ":" + f.path + "\n" +
                 unified_diff(f));
  }

  // Results of an attempt that ended the batch; `sha` is the pushed commit (null: no commit).
  void finish(const std::string* sha) {
    for (Slot& s : slots_) {
      if (s.failed) continue;
      const IntentOutcome& o = s.outcome;
      if (!o.ok) {
        fail(s, o.status, o.error);
      } else if (s.intent.dry_run) {
        s.result = WriteResult{
            IU_STATUS_OK,
            "dry run: " + std::to_string(o.changes) + " changes to " + o.path + " not committed",
            o.changes};
      } else if (o.changes == 0) {
        s.result = WriteResult{IU_STATUS_OK, "images already set in " + o.path, 0};
      } else {
        s.result = WriteResult{IU_STATUS_OK,
                               "committed " + (sha != nullptr ? *sha : std::string("nothing")) +
                                   " to " + display_url(url_) + "@" + branch_ + " (" + o.path + ")",
                               o.changes};
      }
    }
  }

  const WriterContext& ctx_;
  const iu::sdk::Call& call_;
  std::vector<Slot> slots_;
  Slot* lead_ = nullptr;
  std::string url_, repo_key_, branch_;
  GitCredentials credentials_;
  std::string reject_reason_;
  bool pushing_ = false;
};

}  // namespace

std::vector<WriteResult> write_batch(const WriterContext& ctx, const iu::sdk::Call& call,
                                     std::span<const iu_write_intent* const> raw) {
  return Batch(ctx, call, raw).run();
}

}  // namespace iu::gitwb
