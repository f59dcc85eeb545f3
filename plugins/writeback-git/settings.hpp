// The plugin's view of its inputs: the instance configuration (declared keys, validated and
// defaulted by the host) and write intents copied out of the C structs (so that they can be
// kept across the attempts of a batch).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "iu/plugin.hpp"

namespace iu::gitwb {

// Instance configuration (plugin.cpp declares the keys and their defaults).
struct Config {
  std::string commit_user = "argocd-image-updater";
  std::string commit_email = "noreply@argoproj.io";
  std::string commit_message_template;  // "" = the built-in template
  bool sign_off = false;
  std::string signing_key;                 // "" = unsigned commits
  std::string signing_method = "openpgp";  // openpgp | ssh
  int push_attempts = 5;                   // attempts to land a rejected push (SPEC §9.8)
  std::string cache_dir;                   // where clones are cached; "" = a folder under $TMPDIR
  int attempts_count = 3;                  // attempts of one network operation (ARGOCD_GIT_*)
  std::chrono::milliseconds retry_duration{500};
  std::chrono::milliseconds retry_max_duration{10000};
  int retry_factor = 2;
  std::chrono::milliseconds read_cache_ttl{5000};  // read_current reuses a fetch this long

  // Reads every key through the host; throws iu::sdk::Error(INVALID_ARGUMENT) naming the key
  // for values out of range.
  static Config load(const iu::sdk::Call& call);
};

struct Change {
  std::string alias;
  std::string image_name;  // [registry/]repository as configured
  std::string old_tag;     // tag[@digest]; "" when unknown
  std::string new_tag;
  std::string new_digest;                     // set for digest strategies
  std::map<std::string, std::string> target;  // helm.name, kustomize.name, plugin.spec, ...

  // Value written as "tag": tag, or tag@digest (SPEC §9.2).
  std::string tag_value() const;
  // Value written as "spec": name:tag[@digest].
  std::string spec_value() const;
  const std::string* target_key(const std::string& key) const;
};

struct Intent {
  std::string app_namespace;
  std::string app_name;
  std::string method;
  std::string repository;
  std::string branch;  // "base", "base:target", ":target" or ""
  std::string target_revision;
  std::string write_back_target;
  std::string source_path;
  std::string source_type;  // Helm, Kustomize, Plugin
  std::string argocd_namespace;
  std::string git_username, git_password, git_ssh_private_key;  // never logged
  bool dry_run = false;
  std::vector<Change> changes;

  // "<namespace>/<name>", or "<name>" without a namespace.
  std::string app_id() const;

  // Copies the intent out of the borrowed C structs.
  static Intent from(const iu_write_intent& raw);
};

}  // namespace iu::gitwb
