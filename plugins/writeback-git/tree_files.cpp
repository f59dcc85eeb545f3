#include "tree_files.hpp"

#include <stdexcept>

namespace iu::gitwb {

TreeFiles::TreeFiles(git_repository* repo, const git_oid& base_tree)
    : repo_(repo), base_id_(base_tree) {
  git_tree* raw = nullptr;
  check(git_tree_lookup(&raw, repo, &base_tree), "cannot read the tree");
  base_.reset(raw);
}

std::optional<std::string> TreeFiles::read(const std::string& path) {
  if (auto it = files_.find(path); it != files_.end()) return it->second.text;
  git_tree_entry* raw = nullptr;
  int rc = git_tree_entry_bypath(&raw, base_.get(), path.c_str());
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return std::nullopt;
  }
  check(rc, "cannot look up " + path);
  TreeEntryPtr entry(raw);
  git_filemode_t mode = git_tree_entry_filemode(entry.get());
  if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
    throw std::runtime_error(path + ": is not a regular file");
  git_blob* blob = nullptr;
  check(git_blob_lookup(&blob, repo_, git_tree_entry_id(entry.get())), "cannot read " + path);
  BlobPtr owned(blob);
  std::string text(static_cast<const char*>(git_blob_rawcontent(blob)),
                   static_cast<size_t>(git_blob_rawsize(blob)));
  files_[path] = File{text, text, mode};
  return text;
}

void TreeFiles::write(const std::string& path, std::string text) {
  auto it = files_.find(path);
  if (it == files_.end()) {
    read(path);  // records the base text and mode when the file exists
    it = files_.find(path);
  }
  if (it == files_.end()) {
    files_[path] = File{std::nullopt, std::move(text), GIT_FILEMODE_BLOB};
  } else {
    it->second.text = std::move(text);
  }
}

std::vector<TreeFiles::Edited> TreeFiles::edited() const {
  std::vector<Edited> out;
  for (const auto& [path, f] : files_)
    if (!f.base || *f.base != f.text) out.push_back(Edited{path, f.base, f.text});
  return out;
}

git_oid TreeFiles::write_tree() {
  std::vector<git_tree_update> updates;
  for (const auto& [path, f] : files_) {
    if (f.base && *f.base == f.text) continue;
    git_tree_update u{};
    u.action = GIT_TREE_UPDATE_UPSERT;
    check(git_blob_create_from_buffer(&u.id, repo_, f.text.data(), f.text.size()),
          "cannot write " + path);
    u.filemode = f.mode;
    u.path = path.c_str();
    updates.push_back(u);
  }
  if (updates.empty()) return base_id_;
  git_oid out;
  check(git_tree_create_updated(&out, repo_, base_.get(), updates.size(), updates.data()),
        "cannot write the new tree");
  return out;
}

}  // namespace iu::gitwb
