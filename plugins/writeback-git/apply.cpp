#include "apply.hpp"

#include <stdexcept>

#include "edits.hpp"
#include "iu/yamledit/error.hpp"
#include "libgit.hpp"

namespace iu::gitwb {

std::optional<std::string> existing_target_file(TreeFiles& files, const Target& target) {
  for (const std::string& candidate : target.candidates)
    if (files.read(candidate)) return candidate;
  return std::nullopt;
}

IntentOutcome apply_intent(TreeFiles& files, const Intent& intent, const Target& target) {
  IntentOutcome out;
  out.path = target.candidates.front();
  try {
    std::optional<std::string> path = existing_target_file(files, target);
    if (!path && target.format == TargetFormat::kKustomize) {
      std::string dir = out.path.substr(
          0, out.path.find_last_of('/') == std::string::npos ? 0 : out.path.find_last_of('/'));
      out.status = IU_STATUS_INVALID_ARGUMENT;
      out.error = (dir.empty() ? std::string(".") : dir) +
                  ": no kustomization.yaml, kustomization.yml or Kustomization found";
      return out;
    }
    if (path) out.path = *path;
    std::string text = files.read(out.path).value_or("");
    auto doc = iu::yamledit::Document::parse(text);
    out.changes = apply_changes(doc, target, intent);
    if (doc.text() != text) files.write(out.path, doc.text());
    out.ok = true;
  } catch (const iu::yamledit::EditError& e) {
    out.status = IU_STATUS_INVALID_ARGUMENT;
    out.error = out.path + ":" + (e.line() > 0 ? "" : " ") + e.what();
  } catch (const iu::sdk::Error& e) {
    out.status = e.status();
    out.error = e.what();
  } catch (const std::runtime_error& e) {
    out.status = IU_STATUS_INVALID_ARGUMENT;
    out.error = e.what();
  }
  return out;
}

std::string unified_diff(const TreeFiles::Edited& file) {
  const std::string before = file.before.value_or("");
  git_patch* raw = nullptr;
  check(git_patch_from_buffers(&raw, before.data(), before.size(),
                               file.before ? file.path.c_str() : nullptr, file.after.data(),
                               file.after.size(), file.path.c_str(), nullptr),
        "cannot diff " + file.path);
  PatchPtr patch(raw);
  Buf buf;
  check(git_patch_to_buf(&buf.buf, patch.get()), "cannot diff " + file.path);
  return buf.str();
}

}  // namespace iu::gitwb
