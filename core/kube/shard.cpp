#include "kube/shard.hpp"

#include <cctype>

namespace iu::kube {

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

int shard_of(std::string_view ns, std::string_view name, int count) {
  if (count <= 1) return 0;
  std::string key;
  key.reserve(ns.size() + name.size() + 1);
  key.append(ns).append("/").append(name);
  return static_cast<int>(fnv1a64(key) % static_cast<std::uint64_t>(count));
}

std::string shard_lease_name(std::string_view id, int index, int count) {
  if (count <= 1) return std::string(id);
  return std::string(id) + "-" + std::to_string(index);
}

std::optional<int> ordinal_from_hostname(std::string_view host, int count, std::string* error) {
  std::size_t dash = host.rfind('-');
  std::string_view digits =
      dash == std::string_view::npos ? std::string_view{} : host.substr(dash + 1);
  bool numeric = !digits.empty() && digits.size() <= 9;
  for (char c : digits) numeric = numeric && std::isdigit(static_cast<unsigned char>(c));
  if (!numeric) {
    *error = "--shard-index ordinal: hostname \"" + std::string(host) + "\" has no trailing -<n>";
    return std::nullopt;
  }
  int n = std::stoi(std::string(digits));
  if (n >= count) {
    *error = "--shard-index ordinal: ordinal " + std::to_string(n) + " of hostname \"" +
             std::string(host) + "\" is not below --shard-count " + std::to_string(count);
    return std::nullopt;
  }
  return n;
}

}  // namespace iu::kube
