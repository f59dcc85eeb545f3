// Kubernetes naming rules the configuration checks itself, because `dir` objects never pass an
// API server (SPEC §4.1). Internal to iu_config.
#pragma once

#include <string>
#include <string_view>

namespace iu::config::k8s {

// RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters (namespaces).
bool is_dns_label(std::string_view text);

// RFC 1123 subdomain: dot-separated labels, at most 253 characters (object names).
bool is_dns_subdomain(std::string_view text);

// Why `key` is not a valid label key (`[prefix/]name`: prefix a DNS subdomain, name at most 63
// characters of [A-Za-z0-9._-] beginning and ending alphanumeric); empty when it is valid.
std::string label_key_problem(std::string_view key);

// Why `value` is not a valid label value (empty, or like a key's name part); empty when valid.
std::string label_value_problem(std::string_view value);

}  // namespace iu::config::k8s
