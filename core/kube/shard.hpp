// Sharding (SPEC §11.2): an application belongs to shard FNV-1a-64("<namespace>/<name>") mod
// --shard-count; each shard has its own Lease.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iu::kube {

// 64-bit FNV-1a over the bytes of `text` (offset basis 14695981039346656037, prime
// 1099511628211).
std::uint64_t fnv1a64(std::string_view text);

// The shard of an application; `count` >= 1.
int shard_of(std::string_view ns, std::string_view name, int count);

// The Lease name of shard `index`: `<id>-<index>`, or `<id>` itself when `count` is 1.
std::string shard_lease_name(std::string_view id, int index, int count);

// `--shard-index ordinal`: the trailing `-<n>` of `hostname` (a StatefulSet pod); nullopt with
// *error set when there is none or it is >= count.
std::optional<int> ordinal_from_hostname(std::string_view hostname, int count, std::string* error);

}  // namespace iu::kube
