// writeback-git.so: the bundled `git` write-back (SPEC §9.4-§9.8).
#include "git_writeback.hpp"

namespace {

using iu::sdk::ConfigKey;

iu::sdk::FactoryOptions options() {
  iu::sdk::FactoryOptions o;
  o.description = "commits image updates to git: one commit and one push per repository and branch";
  o.flags = IU_FACTORY_CONCURRENT;
  o.config_keys = {
      ConfigKey{IU_CONFIG_STRING, "commit_user", "argocd-image-updater", false,
                "author and committer name (--git-commit-user)"},
      ConfigKey{IU_CONFIG_STRING, "commit_email", "noreply@argoproj.io", false,
                "author and committer e-mail (--git-commit-email)"},
      ConfigKey{IU_CONFIG_STRING, "commit_message_template", "", false,
                "commit message template text; empty = the built-in template"},
      ConfigKey{IU_CONFIG_BOOL, "sign_off", "false", false,
                "append a Signed-off-by trailer (--git-commit-sign-off)"},
      ConfigKey{IU_CONFIG_STRING, "signing_key", "", false,
                "GPG key id (openpgp) or private key file (ssh); empty = unsigned"},
      ConfigKey{IU_CONFIG_STRING, "signing_method", "openpgp", false, "openpgp | ssh"},
      ConfigKey{IU_CONFIG_INT, "push_attempts", "5", false,
                "attempts to land a rejected push (--git-push-attempts)"},
      ConfigKey{IU_CONFIG_STRING, "cache_dir", "", false,
                "folder of the cached clones; empty = <tmp>/argocd-image-updater/git-cache"},
      ConfigKey{IU_CONFIG_INT, "attempts_count", "3", false,
                "attempts of a git network operation (ARGOCD_GIT_ATTEMPTS_COUNT)"},
      ConfigKey{IU_CONFIG_DURATION, "retry_duration", "500ms", false,
                "first back-off of git network retries (ARGOCD_GIT_RETRY_DURATION)"},
      ConfigKey{IU_CONFIG_DURATION, "retry_max_duration", "10s", false,
                "back-off cap of git network retries (ARGOCD_GIT_RETRY_MAX_DURATION)"},
      ConfigKey{IU_CONFIG_INT, "retry_factor", "2", false,
                "back-off multiplier of git network retries (ARGOCD_GIT_RETRY_FACTOR)"},
      ConfigKey{IU_CONFIG_DURATION, "read_cache_ttl", "5s", false,
                "read_current reuses a fetch of the same repository for this long"},
  };
  return o;
}

}  // namespace

IU_PLUGIN("writeback-git", "0.1.0",
          (iu::sdk::writeback_factory<iu::gitwb::GitWriteback>("git", options())))
