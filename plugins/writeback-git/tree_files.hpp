// The files of one commit's tree as a batch sees them: read from the object database, replaced
// in memory by the intents' edits, and written back as one new tree. Nothing touches a working
// copy on disk.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "libgit.hpp"

namespace iu::gitwb {

class TreeFiles {
 public:
  // `base` is the tree of the commit the batch builds on. `repo` must outlive this object.
  TreeFiles(git_repository* repo, const git_oid& base_tree);

  // The file's current text (edits included), or nullopt when there is no such file. Throws
  // std::runtime_error when the path is a directory, a submodule or a symlink.
  std::optional<std::string> read(const std::string& path);

  // Replaces (or creates) the file's text.
  void write(const std::string& path, std::string text);

  struct Edited {
    std::string path;
    std::optional<std::string> before;  // nullopt: a new file
    std::string after;
  };
  // Files whose text differs from the base tree, in path order.
  std::vector<Edited> edited() const;

  // Writes the edited blobs and the new tree; returns the tree id (the base's when nothing
  // differs).
  git_oid write_tree();

 private:
  struct File {
    std::optional<std::string> base;  // text in the base tree
    std::string text;                 // current text
    git_filemode_t mode = GIT_FILEMODE_BLOB;
  };
  git_repository* repo_;
  git_oid base_id_;
  TreePtr base_;
  std::map<std::string, File> files_;  // only paths that were read or written
};

}  // namespace iu::gitwb
