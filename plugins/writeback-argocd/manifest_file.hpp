// Reading and atomically replacing a manifest file (the `dir` source's Application files,
// SPEC §4.3), and a process-wide lock per file so that two writers in this process never
// interleave a read-modify-write of the same file.
#pragma once

#include <mutex>
#include <optional>
#include <string>

namespace iu::argocdwb {

// The bytes of `path`, or nullopt with `*error` set ("<path>: <reason>") and `*missing` (when
// given) telling whether the file does not exist.
std::optional<std::string> read_manifest(const std::string& path, std::string* error,
                                         bool* missing = nullptr);

// Replaces the contents of `path` by `text` so that a reader sees either the old or the new
// bytes, never a mix, and a crash leaves one of the two: the text goes to a temporary file in
// the same directory (same permission bits as the original), which is flushed to disk (fsync)
// and renamed over `path`; then the directory is flushed. On failure the original file is left
// as it was, the temporary file is removed and `*error` says why (naming `path`).
bool replace_manifest(const std::string& path, const std::string& text, std::string* error);

// The mutex guarding read-modify-write of `path` in this process (keyed by the path's
// canonical form, so two spellings of one file share it).
std::mutex& manifest_lock(const std::string& path);

}  // namespace iu::argocdwb
