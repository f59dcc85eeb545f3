// `plugins`: what the loaded plugins offer, and which files were refused and why (SPEC §3.1).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>

#include "cli/commands.hpp"

namespace iu::cli {
namespace {

struct Row {
  std::string kind, name, version, abi, status, source;
};

std::vector<Row> rows(const plugin_host::Catalog& catalog) {
  std::vector<Row> out;
  for (const auto& p : catalog.implementations()) {
    std::string name = p->name;
    for (const auto& a : p->aliases) name += "," + a;
    out.push_back(Row{std::string(plugin_host::kind_name(p->kind)), p->name, p->plugin_version,
                      std::to_string(p->abi_major) + "." + std::to_string(p->abi_minor), "loaded",
                      p->source});
  }
  std::stable_sort(out.begin(), out.end(), [](const Row& a, const Row& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
  for (const auto& r : catalog.rejections())
    out.push_back(Row{r.kind ? std::string(plugin_host::kind_name(*r.kind)) : "-",
                      r.name.empty() ? "-" : r.name, r.plugin_version.empty() ? "-" : r.plugin_version,
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

int cmd_plugins(const FlagValues& values, const std::string& output) {
  plugin_host::Catalog catalog;
  load_plugins(values, catalog);
  if (output == "json") {
    print_json(catalog);
  } else {
    print_table(rows(catalog));
  }
  return catalog.rejections().empty() ? 0 : 1;
}

}  // namespace iu::cli
