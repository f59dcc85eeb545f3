// How scalar values are written: when a plain token reads back as the intended string, and how
// quoted tokens are escaped (SPEC.md §9.6). Internal header.
#pragma once

#include <string>
#include <string_view>

#include "tree.hpp"

namespace iu::yamledit::detail {

// Where a token is written: inside a flow collection `,[]{}` end a plain scalar.
enum class Context { kBlock, kFlow };

// True when YAML 1.1 or YAML 1.2 (core schema) resolves the plain text to a non-string: a null
// (`~`, `null`, empty), a bool (`yes`, `On`, `true`...), an int (`0x1f`, `0o17`, `017`, `1_000`,
// `1:30`), a float (`1.10`, `1e3`, `.inf`), a timestamp (`2024-01-02...`), `<<` or `=`.
bool resolves_to_non_string(std::string_view plain);

// True when `value` can be written as a plain token at all: not empty, no surrounding blanks,
// no leading indicator, no `: `, ` #`, trailing `:`, line break or control character, no
// document marker, and (flow context) no `,[]{}`.
bool plain_syntax_ok(std::string_view value, Context ctx);

// plain_syntax_ok() and not resolves_to_non_string(): the plain token reads back as `value`.
bool plain_reads_back(std::string_view value, Context ctx);

// False when a single-quoted token cannot hold `value` faithfully (line breaks, control
// characters: single quotes have no escapes and fold line breaks).
bool single_quotable(std::string_view value);

std::string double_quoted(std::string_view value);
std::string single_quoted(std::string_view value);

// The token for a string `value` replacing a scalar written in `style` (block scalar styles are
// never replaced): plain when it reads back, else double-quoted; single-quoted when quotable,
// else double-quoted; double-quoted. `string_tagged` means the node carries a `!!str` or `!`
// tag, under which a plain token is a string whatever it looks like.
std::string render_string(std::string_view value, ScalarStyle style, Context ctx,
                          bool string_tagged = false);

// True when the existing scalar `node` already reads back as the string `value`: equal value,
// and not a plain untagged token that YAML resolves to another type.
bool reads_back_as_string(const Node& node, std::string_view value);

// True for the tags under which a scalar is a string: `!!str` and the non-specific `!`.
bool is_string_tag(std::string_view tag);

}  // namespace iu::yamledit::detail
