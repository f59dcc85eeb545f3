#include "settings.hpp"

#include <charconv>

namespace iu::gitwb {
namespace {

using iu::sdk::Error;

std::string text_key(const iu::sdk::Call& call, const char* key, std::string fallback) {
  auto v = call.config(key);
  return v ? *v : fallback;
}

int64_t int_key(const iu::sdk::Call& call, const char* key, int64_t fallback, int64_t min,
                int64_t max) {
  auto v = call.config(key);
  if (!v || v->empty()) return fallback;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size())
    throw Error(IU_STATUS_INVALID_ARGUMENT,
                std::string("writeback git: ") + key + ": invalid number \"" + *v + "\"");
  if (out < min || out > max)
    throw Error(IU_STATUS_INVALID_ARGUMENT, std::string("writeback git: ") + key + ": " + *v +
                                                " is out of range (" + std::to_string(min) + ".." +
                                                std::to_string(max) + ")");
  return out;
}

}  // namespace

Config Config::load(const iu::sdk::Call& call) {
  Config c;
  c.commit_user = text_key(call, "commit_user", c.commit_user);
  c.commit_email = text_key(call, "commit_email", c.commit_email);
  c.commit_message_template = text_key(call, "commit_message_template", "");
  c.sign_off = text_key(call, "sign_off", "false") == "true";
  c.signing_key = text_key(call, "signing_key", "");
  c.signing_method = text_key(call, "signing_method", c.signing_method);
  if (c.signing_method != "openpgp" && c.signing_method != "ssh")
    throw Error(IU_STATUS_INVALID_ARGUMENT, "writeback git: signing_method: unknown method \"" +
                                                c.signing_method + "\" (use openpgp or ssh)");
  c.push_attempts = static_cast<int>(int_key(call, "push_attempts", 5, 1, 100));
  c.cache_dir = text_key(call, "cache_dir", "");
  c.attempts_count = static_cast<int>(int_key(call, "attempts_count", 3, 1, 100));
  c.retry_duration =
      std::chrono::milliseconds(int_key(call, "retry_duration", 500, 0, int64_t{24} * 3600 * 1000));
  c.retry_max_duration = std::chrono::milliseconds(
      int_key(call, "retry_max_duration", 10000, 0, int64_t{24} * 3600 * 1000));
  c.retry_factor = static_cast<int>(int_key(call, "retry_factor", 2, 1, 100));
  c.read_cache_ttl = std::chrono::milliseconds(
      int_key(call, "read_cache_ttl", 5000, 0, int64_t{24} * 3600 * 1000));
  return c;
}

std::string Change::tag_value() const {
  return new_digest.empty() ? new_tag : new_tag + "@" + new_digest;
}

std::string Change::spec_value() const { return image_name + ":" + tag_value(); }

const std::string* Change::target_key(const std::string& key) const {
  auto it = target.find(key);
  return it == target.end() || it->second.empty() ? nullptr : &it->second;
}

std::string Intent::app_id() const {
  return app_namespace.empty() ? app_name : app_namespace + "/" + app_name;
}

Intent Intent::from(const iu_write_intent& raw) {
  using iu::sdk::view;
  Intent in;
  in.app_namespace = view(raw.app_namespace);
  in.app_name = view(raw.app_name);
  in.method = view(raw.method);
  for (uint64_t i = 0; i < raw.setting_count; ++i) {
    std::string_view k = view(raw.settings[i].key);
    std::string v(view(raw.settings[i].value));
    if (k == "repository")
      in.repository = v;
    else if (k == "branch")
      in.branch = v;
    else if (k == "target_revision")
      in.target_revision = v;
    else if (k == "write_back_target")
      in.write_back_target = v;
    else if (k == "source_path")
      in.source_path = v;
    else if (k == "source_type")
      in.source_type = v;
    else if (k == "argocd_namespace")
      in.argocd_namespace = v;
    else if (k == "git_username")
      in.git_username = v;
    else if (k == "git_password")
      in.git_password = v;
    else if (k == "git_ssh_private_key")
      in.git_ssh_private_key = v;
    else if (k == "dry_run")
      in.dry_run = (v == "true");
  }
  iu::sdk::Strided<iu_image_change> changes(raw.changes, raw.change_count, raw.changes_stride);
  for (uint64_t i = 0; i < changes.size(); ++i) {
    const iu_image_change& c = changes[i];
    Change out;
    out.alias = view(c.alias);
    out.image_name = view(c.image_name);
    out.old_tag = view(c.old_tag);
    out.new_tag = view(c.new_tag);
    out.new_digest = view(c.new_digest);
    for (uint64_t t = 0; t < c.target_count; ++t)
      out.target.emplace(std::string(view(c.target[t].key)), std::string(view(c.target[t].value)));
    in.changes.push_back(std::move(out));
  }
  return in;
}

}  // namespace iu::gitwb
