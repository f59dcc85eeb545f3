// `plugins`: what the loaded plugins offer, and which files were refused and why (SPEC §3.1).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>

#include "cli/commands.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::cli {
namespace {

struct Row {
  std::string kind, name, version, abi, status, source;
};

// Creates the implementation with its default configuration and, for strategies and
// schedulers, calls it once on sample input: proves a plugin is callable, not just loadable.
std::string probe(const plugin_host::Implementation& impl) {
  using namespace plugin_host;
  ConfigMap cfg;
  try {
    cfg = validate_config(impl, {}, "probe");
  } catch (const ConfigError&) {
    return "skipped (needs configuration)";
  }
  try {
    switch (impl.kind) {
      case Kind::strategy: {
        StrategyInstance s(impl, cfg);
        try {
          s.validate("");
        } catch (const PluginError& e) {
          // Strategies that need a version text (digest: the tracked tag) say so here.
          if (e.status() == IU_STATUS_INVALID_ARGUMENT)
            return std::string("ok (needs a version text: ") + e.what() + ")";
          throw;
        }
        static const char* tags[] = {"1.0.0", "1.2.0", "2.0.0-rc.1", "2024.05.17", "latest"};
        std::vector<Candidate> c;
        for (int i = 0; i < 5; ++i)
          c.push_back(Candidate{tags[i], 1000LL * i, {}, IU_TIME_UNKNOWN});
        auto best = s.rank("", "probe/image", c, 1);
        return best.empty() ? "ok (no candidate)"
                            : "ok (picked " + std::string(tags[best[0]]) + ")";
      }
      case Kind::scheduler: {
        SchedulerInstance s(impl, cfg);
        std::vector<SchedJob> jobs(2);
        jobs[0].app_name = "b";
        jobs[1].app_name = "a";
        return "ok (ordered " + std::to_string(s.order(0, jobs).size()) + " jobs)";
      }
      case Kind::registry: {
        // The host always gives a registry instance its endpoint keys (plugin.h); the probe
        // uses Docker Hub's. Creating an instance makes no network call.
        ConfigMap with_host = cfg;
        with_host.emplace("api_url", "https://registry-1.docker.io");
        with_host.emplace("name", "probe");
        with_host.emplace("prefix", "docker.io");
        with_host.emplace("defaultns", "library");
        with_host.emplace("insecure", "false");
        with_host.emplace("tagsortmode", "none");
        try {
          RegistryInstance(impl, with_host, "probe");
        } catch (const PluginError& e) {
          // A registry of its own kind (ECR, ...) may refuse the sample endpoint: it was
          // called and answered with a configuration error, which is what the probe proves.
          if (e.status() == IU_STATUS_INVALID_ARGUMENT)
            return std::string("ok (refused the sample Docker Hub endpoint: ") + e.what() + ")";
          throw;
        }
        return "ok (created)";
      }
      case Kind::writeback:
        WritebackInstance(impl, cfg);
        return "ok (created)";
    }
  } catch (const std::exception& e) {
    return std::string("failed: ") + e.what();
  }
  return "unknown kind";
}

std::vector<Row> rows(const plugin_host::Catalog& catalog, bool with_probe) {
  std::vector<Row> out;
  for (const auto& p : catalog.implementations()) {
    std::string source = p->source;
    if (with_probe) source += "  probe: " + probe(*p);
    out.push_back(Row{std::string(plugin_host::kind_name(p->kind)), p->name, p->plugin_version,
                      std::to_string(p->abi_major) + "." + std::to_string(p->abi_minor), "loaded",
                      source});
  }
  std::stable_sort(out.begin(), out.end(), [](const Row& a, const Row& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
  for (const auto& r : catalog.rejections())
    out.push_back(Row{r.kind ? std::string(plugin_host::kind_name(*r.kind)) : "-",
                      r.name.empty() ? "-" : r.name,
                      r.plugin_version.empty() ? "-" : r.plugin_version,
                      r.abi.empty() ? "-" : r.abi, "rejected", r.reason});
  return out;
}

void print_table(const std::vector<Row>& rs) {
  std::vector<std::string> head{"KIND", "NAME", "VERSION", "ABI", "STATUS", "SOURCE"};
  std::vector<size_t> w(head.size());
  for (size_t i = 0; i < head.size(); ++i) w[i] = head[i].size();
  for (const auto& r : rs) {
    const std::string* cols[] = {&r.kind, &r.name, &r.version, &r.abi, &r.status};
    for (size_t i = 0; i < 5; ++i) w[i] = std::max(w[i], cols[i]->size());
  }
  auto line = [&](const std::vector<std::string>& c) {
    for (size_t i = 0; i < 5; ++i) std::printf("%-*s  ", static_cast<int>(w[i]), c[i].c_str());
    std::printf("%s\n", c[5].c_str());
  };
  line(head);
  for (const auto& r : rs) line({r.kind, r.name, r.version, r.abi, r.status, r.source});
}

void print_json(const plugin_host::Catalog& catalog) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("implementations");
  w.StartArray();
  for (const auto& p : catalog.implementations()) {
    w.StartObject();
    w.Key("kind");
    w.String(std::string(plugin_host::kind_name(p->kind)).c_str());
    w.Key("name");
    w.String(p->name.c_str());
    w.Key("aliases");
    w.StartArray();
    for (const auto& a : p->aliases) w.String(a.c_str());
    w.EndArray();
    w.Key("description");
    w.String(p->description.c_str());
    w.Key("plugin");
    w.String(p->plugin_name.c_str());
    w.Key("version");
    w.String(p->plugin_version.c_str());
    w.Key("abi");
    w.String((std::to_string(p->abi_major) + "." + std::to_string(p->abi_minor)).c_str());
    w.Key("concurrent");
    w.Bool(p->concurrent());
    w.Key("source");
    w.String(p->source.c_str());
    w.Key("config_keys");
    w.StartArray();
    for (const auto& k : p->config_keys) {
      w.StartObject();
      w.Key("name");
      w.String(k.name.c_str());
      w.Key("required");
      w.Bool(k.required);
      if (k.default_value) {
        w.Key("default");
        w.String(k.default_value->c_str());
      }
      w.Key("description");
      w.String(k.description.c_str());
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("rejected");
  w.StartArray();
  for (const auto& r : catalog.rejections()) {
    w.StartObject();
    w.Key("source");
    w.String(r.source.c_str());
    w.Key("reason");
    w.String(r.reason.c_str());
    if (r.kind) {
      w.Key("kind");
      w.String(std::string(plugin_host::kind_name(*r.kind)).c_str());
      w.Key("name");
      w.String(r.name.c_str());
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::printf("%s\n", buf.GetString());
}

}  // namespace

int cmd_plugins(const FlagValues& values, const std::string& output, bool with_probe) {
  plugin_host::Catalog catalog;
  load_plugins(values, catalog);
  bool probe_failed = false;
  if (with_probe)
    for (const auto& p : catalog.implementations())
      if (probe(*p).rfind("failed", 0) == 0) probe_failed = true;
  if (output == "json") {
    print_json(catalog);
  } else {
    print_table(rows(catalog, with_probe));
  }
  return catalog.rejections().empty() && !probe_failed ? 0 : 1;
}

}  // namespace iu::cli
