// Generates random YAML documents for the property test, recording where every scalar token,
// mapping and list sits, so that the test knows exactly which bytes an edit may touch.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "iu/yamledit/path.hpp"

namespace iu::yamledit::test {

struct GeneratedScalar {
  Path path;
  std::size_t begin = 0;  // byte span of the token (after anchor and tag); begin == end for an
  std::size_t end = 0;    // empty null value, placed right after its ':'
  char style = 'p';       // 'p' plain, 's' single-quoted, 'd' double-quoted, 'n' null, 'b' block
  bool in_flow = false;
  bool string_tagged = false;
  std::vector<Path> aliases;  // where aliases of this (anchored) scalar are
};

struct GeneratedCollection {
  Path path;
  bool flow = false;
  std::vector<std::string> keys;  // mappings
  std::size_t items = 0;          // sequences
};

struct GeneratedDocument {
  std::string text;
  std::vector<GeneratedScalar> scalars;
  std::vector<GeneratedCollection> mappings;
  std::vector<GeneratedCollection> sequences;
  std::vector<Path> alias_paths;
};

// Deterministic for a given seed. Documents use block and flow mappings and sequences, plain,
// quoted, null and block scalars, anchors and aliases, `!!str` tags, comments, blank lines,
// 2- or 4-space indentation, indented or flush sequences, CRLF, a BOM, markers, a second
// document and files without a final newline.
GeneratedDocument generate_document(std::uint32_t seed);

}  // namespace iu::yamledit::test
