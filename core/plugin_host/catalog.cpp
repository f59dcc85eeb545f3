#include "plugin_host/catalog.hpp"

#include <algorithm>

namespace iu::plugin_host {

std::optional<Kind> kind_from_abi(uint32_t raw) {
  switch (raw) {
    case IU_KIND_REGISTRY:
      return Kind::registry;
    case IU_KIND_STRATEGY:
      return Kind::strategy;
    case IU_KIND_SCHEDULER:
      return Kind::scheduler;
    case IU_KIND_WRITEBACK:
      return Kind::writeback;
    default:
      return std::nullopt;
  }
}

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::registry:
      return "registry";
    case Kind::strategy:
      return "strategy";
    case Kind::scheduler:
      return "scheduler";
    case Kind::writeback:
      return "writeback";
  }
  return "unknown";
}

bool Catalog::add(Implementation impl) {
  std::vector<std::string> names = impl.aliases;
  names.insert(names.begin(), impl.name);
  for (const auto& n : names) {
    if (auto it = by_name_.find(std::pair{impl.kind, n}); it != by_name_.end()) {
      Rejection r;
      r.source = impl.source;
      r.kind = impl.kind;
      r.name = impl.name;
      r.plugin_version = impl.plugin_version;
      r.abi = std::to_string(impl.abi_major) + "." + std::to_string(impl.abi_minor);
      r.reason = impl.source + ": duplicate " + std::string(kind_name(impl.kind)) + " \"" + n +
                 "\": already provided by " + it->second->source +
                 " (the first one loaded stays; remove or rename one of them)";
      rejections_.push_back(std::move(r));
      return false;
    }
  }
  impls_.push_back(std::make_unique<Implementation>(std::move(impl)));
  const Implementation* p = impls_.back().get();
  for (const auto& n : names) by_name_.emplace(std::pair{p->kind, n}, p);
  return true;
}

void Catalog::reject(Rejection r) { rejections_.push_back(std::move(r)); }

const Implementation* Catalog::find(Kind kind, std::string_view name) const {
  auto it = by_name_.find(std::pair{kind, std::string(name)});
  return it == by_name_.end() ? nullptr : it->second;
}

const Implementation& Catalog::resolve(Kind kind, std::string_view name) const {
  if (const Implementation* p = find(kind, name)) return *p;
  std::string list;
  for (const auto& n : names(kind)) list += (list.empty() ? "" : ", ") + n;
  throw UnknownImplementation(
      "unknown " + std::string(kind_name(kind)) + " \"" + std::string(name) +
      "\" (available: " + (list.empty() ? std::string("none loaded") : list) + ")");
}

std::vector<std::string> Catalog::names(Kind kind) const {
  std::vector<std::string> out;
  for (const auto& p : impls_)
    if (p->kind == kind) out.push_back(p->name);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace iu::plugin_host
