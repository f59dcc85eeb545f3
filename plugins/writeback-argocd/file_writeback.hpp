// The `argocd` write-back of the `dir` source (SPEC §4.3): the Application document is edited in
// place inside its manifest file (intent setting `application_file`), byte-preserving, and the
// file is replaced atomically (temporary file, fsync, rename).
//
// The intents of one file are applied to one read of it and written with one replace, under a
// process-wide lock of that file. Before the replace the file is read again: when somebody else
// changed it since the first read, the edits are re-applied to the new bytes (those already
// satisfied drop out), up to 5 rounds with 10 ms x 2^n jittered back-off; then the
// applications of that file fail with CONFLICT. An intent whose edits fail (no such document
// any more, a field of the wrong type, an alias on the path, ...) fails alone and leaves the
// file's other applications to be written. Nothing is written when every edit is already
// satisfied, nor in a dry run.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "iu/plugin.hpp"

namespace iu::argocdwb {

// One intent of a batch: its index in the batch and the intent.
using IndexedIntent = std::pair<uint64_t, const iu_write_intent*>;

// Writes `intents`, which all name `file` as their application_file; one result per intent.
void write_file_group(iu::sdk::Call& call, const std::string& file,
                      const std::vector<IndexedIntent>& intents, iu::sdk::WriteResultSink& out);

}  // namespace iu::argocdwb
