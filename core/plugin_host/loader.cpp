#include "plugin_host/loader.hpp"

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <boost/system/system_error.hpp>
#include <cstring>
#include <fstream>
#include <mutex>

#include "log/log.hpp"
#include "plugin_host/host_api.hpp"

namespace iu::plugin_host {
namespace {

// Loaded libraries are kept until exit (plugins are never unloaded: their code may still be
// referenced by instances, metrics callbacks and static destructors).
std::mutex g_libs_mu;
std::vector<boost::dll::shared_library>& libraries() {
  static auto* libs = new std::vector<boost::dll::shared_library>();
  return *libs;
}

std::string abi_text(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// Copies min(struct_size, sizeof(T)) bytes of a plugin struct into a zeroed T (ABI rule 3).
template <typename T>
T copy_grown(const void* src) {
  T out{};
  uint32_t size = 0;
  std::memcpy(&size, src, sizeof size);
  std::memcpy(&out, src, std::min<size_t>(size, sizeof(T)));
  out.struct_size = static_cast<uint32_t>(std::min<size_t>(size, sizeof(T)));
  return out;
}

const char* or_unknown(const char* s) { return s != nullptr && *s != '\0' ? s : "unknown"; }

bool valid_type_name(const char* s) {
  if (s == nullptr || *s == '\0' || std::strlen(s) > 64) return false;
  for (const char* p = s; *p != '\0'; ++p) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Copies the kind's vtable; returns an error text when a required slot is missing.
std::string copy_vtable(Kind kind, const void* raw, VTable& out) {
  auto missing = [](const char* slot) {
    return std::string("required slot ") + slot + " is missing";
  };
  switch (kind) {
    case Kind::registry: {
      auto vt = copy_grown<iu_registry_vtable>(raw);
      if (vt.create == nullptr || vt.destroy == nullptr) return missing("create/destroy");
      if (vt.list_tags == nullptr) return missing("list_tags");
      out = vt;
      return {};
    }
    case Kind::strategy: {
      auto vt = copy_grown<iu_strategy_vtable>(raw);
      if (vt.create == nullptr || vt.destroy == nullptr) return missing("create/destroy");
      if (vt.rank == nullptr) return missing("rank");
      out = vt;
      return {};
    }
    case Kind::scheduler: {
      auto vt = copy_grown<iu_scheduler_vtable>(raw);
      if (vt.create == nullptr || vt.destroy == nullptr) return missing("create/destroy");
      if (vt.order == nullptr) return missing("order");
      out = vt;
      return {};
    }
    case Kind::writeback: {
      auto vt = copy_grown<iu_writeback_vtable>(raw);
      if (vt.create == nullptr || vt.destroy == nullptr) return missing("create/destroy");
      if (vt.write_batch == nullptr) return missing("write_batch");
      out = vt;
      return {};
    }
  }
  return "unknown kind";
}

bool looks_like_elf(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' &&
         magic[3] == 'F';
}

void refuse(Catalog& catalog, const std::string& source, const std::string& reason,
            std::string abi = {}) {
  Rejection r;
  r.source = source;
  r.reason = source + ": " + reason;
  r.abi = std::move(abi);
  log::warn("plugin refused", {{"file", source}, {"reason", reason}});
  catalog.reject(std::move(r));
}

}  // namespace

size_t register_descriptor(const iu_plugin_descriptor* raw, const std::string& source,
                           Catalog& catalog) {
  if (raw == nullptr) {
    refuse(catalog, source, "iu_plugin_entry returned NULL (the plugin refused to initialise)");
    return 0;
  }
  constexpr size_t kHeader = offsetof(iu_plugin_descriptor, plugin_name);
  if (raw->struct_size < kHeader) {
    refuse(catalog, source,
           "plugin descriptor of " + std::to_string(raw->struct_size) +
               " bytes is too small to hold an ABI version; not an argocd-image-updater plugin");
    return 0;
  }
  const std::string abi = abi_text(raw->abi_major, raw->abi_minor);
  const std::string host = abi_text(IU_ABI_MAJOR, IU_ABI_MINOR);
  if (raw->abi_major != IU_ABI_MAJOR) {
    refuse(catalog, source,
           "plugin ABI " + abi + " is incompatible with host ABI " + host +
               " (major versions differ); rebuild the plugin against SDK " +
               std::to_string(IU_ABI_MAJOR) + ".x",
           abi);
    return 0;
  }
  if (raw->abi_minor > IU_ABI_MINOR) {
    refuse(catalog, source,
           "plugin ABI " + abi + " needs host ABI >= " + abi + " (host is " + host +
               "); rebuild against SDK " + host + " or upgrade",
           abi);
    return 0;
  }
  auto d = copy_grown<iu_plugin_descriptor>(raw);
  if (d.struct_size < offsetof(iu_plugin_descriptor, factory_count) + sizeof(uint32_t)) {
    refuse(catalog, source, "plugin descriptor is truncated (no factory list)", abi);
    return 0;
  }
  if (d.factory_count > 0 && d.factories == nullptr) {
    refuse(catalog, source, "plugin descriptor lists factories but the array is NULL", abi);
    return 0;
  }
  size_t added = 0;
  for (uint32_t i = 0; i < d.factory_count; ++i) {
    const iu_factory* fp = d.factories[i];
    const std::string where = "factory #" + std::to_string(i);
    if (fp == nullptr) {
      refuse(catalog, source, where + " is NULL", abi);
      continue;
    }
    auto f = copy_grown<iu_factory>(fp);
    auto kind = kind_from_abi(f.kind);
    if (!kind) {
      refuse(catalog, source, where + " has unknown kind " + std::to_string(f.kind), abi);
      continue;
    }
    if (!valid_type_name(f.type_name)) {
      refuse(catalog, source,
             where + " (" + std::string(kind_name(*kind)) +
                 ") has a missing or invalid type name (allowed: letters, digits, '-', '_', '.')",
             abi);
      continue;
    }
    const std::string label = std::string(kind_name(*kind)) + " \"" + f.type_name + "\"";
    if (f.vtable == nullptr) {
      refuse(catalog, source, label + " has no vtable", abi);
      continue;
    }
    Implementation impl{*kind,
                        f.type_name,
                        {},
                        or_unknown(f.description),
                        f.flags,
                        {},
                        {},
                        or_unknown(d.plugin_name),
                        or_unknown(d.plugin_version),
                        source,
                        d.abi_major,
                        d.abi_minor};
    if (f.description == nullptr) impl.description.clear();
    if (std::string err = copy_vtable(*kind, f.vtable, impl.vtable); !err.empty()) {
      refuse(catalog, source, label + ": " + err, abi);
      continue;
    }
    bool bad_key = false;
    for (uint32_t k = 0; k < f.config_key_count && f.config_keys != nullptr; ++k) {
      if (f.config_keys[k] == nullptr || f.config_keys[k]->name == nullptr) {
        bad_key = true;
        break;
      }
      auto key = copy_grown<iu_config_key>(f.config_keys[k]);
      ConfigKeySpec spec;
      spec.type = key.type;
      spec.name = key.name;
      if (key.default_value != nullptr) spec.default_value = key.default_value;
      spec.required = key.required != 0;
      spec.description = key.description != nullptr ? key.description : "";
      impl.config_keys.push_back(std::move(spec));
    }
    if (bad_key) {
      refuse(catalog, source, label + " declares a configuration key without a name", abi);
      continue;
    }
    for (uint32_t a = 0; a < f.alias_count && f.aliases != nullptr; ++a)
      if (valid_type_name(f.aliases[a])) impl.aliases.emplace_back(f.aliases[a]);
    if (catalog.add(std::move(impl))) {
      ++added;
    } else {
      log::warn("plugin implementation refused",
                {{"file", source}, {"reason", catalog.rejections().back().reason}});
    }
  }
  return added;
}

size_t load_file(const std::filesystem::path& file, Catalog& catalog) {
  const std::string source = file.string();
  if (!looks_like_elf(file)) {
    refuse(catalog, source, "not an ELF shared object");
    return 0;
  }
  boost::dll::shared_library lib;
  try {
    lib.load(boost::dll::fs::path(source),
             boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const boost::system::system_error& e) {
    refuse(catalog, source, std::string("cannot load: ") + e.what());
    return 0;
  }
  if (!lib.has(IU_PLUGIN_ENTRY_SYMBOL)) {
    refuse(catalog, source,
           "no " IU_PLUGIN_ENTRY_SYMBOL
           " symbol: not an argocd-image-updater plugin (build it "
           "with IU_PLUGIN(...) or export the C entry point)");
    return 0;
  }
  auto& entry =
      lib.get<const iu_plugin_descriptor*(const iu_plugin_query*)>(IU_PLUGIN_ENTRY_SYMBOL);
  iu_plugin_query query{sizeof(iu_plugin_query), IU_ABI_MAJOR, IU_ABI_MINOR, host_api()};
  const iu_plugin_descriptor* d = entry(&query);
  size_t added = register_descriptor(d, source, catalog);
  // Keep the library even when nothing was added: the entry point may have started state.
  std::lock_guard lock(g_libs_mu);
  libraries().push_back(std::move(lib));
  if (added > 0)
    log::debug("plugin loaded", {{"file", source}, {"implementations", std::to_string(added)}});
  return added;
}

void load_directories(const std::vector<std::filesystem::path>& dirs, Catalog& catalog,
                      bool warn_missing) {
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      if (warn_missing) log::warn("plugin directory not found", {{"dir", dir.string()}});
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (e.path().extension() == ".so" && !e.is_directory()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) load_file(f, catalog);
  }
}

std::vector<std::filesystem::path> split_plugin_dirs(const std::vector<std::string>& values) {
  std::vector<std::filesystem::path> out;
  for (const auto& v : values) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t c = v.find(':', start);
      std::string part = v.substr(start, c == std::string::npos ? std::string::npos : c - start);
      if (!part.empty()) out.emplace_back(part);
      if (c == std::string::npos) break;
      start = c + 1;
    }
  }
  return out;
}

}  // namespace iu::plugin_host
