// RapidJSON helpers for the document parsers: parse with an offset in the error, and typed
// member access that reports the field path of whatever is wrong.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace iu::dockerv2::detail {

using JsonValue = rapidjson::Value;

// Parses `body` (UTF-8 validated, no trailing garbage). Throws DocumentError(INTERNAL,
// "invalid JSON at offset N: <reason>").
void parse_json(rapidjson::Document& doc, std::string_view body);

// Throws DocumentError(INTERNAL, "an invalid <document>: <path>: <problem>").
[[noreturn]] void shape_error(std::string_view document, const std::string& path,
                              std::string_view problem);

// "a string", "an object", ... for messages.
std::string_view type_name(const JsonValue& v);

// `path` extended by a member name or an index: "manifests[1].platform".
std::string join(const std::string& path, std::string_view member);
std::string index(const std::string& path, size_t i);

// The member, or nullptr when absent. `obj` must be an object.
const JsonValue* find(const JsonValue& obj, std::string_view name);

// A string member: nullopt when absent or null; shape_error when of another type.
std::optional<std::string> optional_string(const JsonValue& obj, std::string_view name,
                                           std::string_view document, const std::string& path);

// An object member: nullptr when absent or null; shape_error when of another type.
const JsonValue* optional_object(const JsonValue& obj, std::string_view name,
                                 std::string_view document, const std::string& path);

// Requires `v` to be an object (path "" = the document itself).
void require_object(const JsonValue& v, std::string_view document, const std::string& path);

}  // namespace iu::dockerv2::detail
