#include "kube/cluster_config.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "credentials/docker_config.hpp"

namespace iu::kube {
namespace fs = std::filesystem;
namespace {

std::string read_text(const fs::path& p, const std::string& what) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(what + ": cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string scalar(const YAML::Node& n, const char* key) {
  const YAML::Node v = n[key];
  if (!v || !v.IsScalar()) return {};
  return v.as<std::string>();
}

// The entry of `list` (clusters, contexts, users) called `name`, with its index.
std::pair<YAML::Node, std::size_t> named(const YAML::Node& list, const std::string& name,
                                         const std::string& what) {
  if (list && list.IsSequence())
    for (std::size_t i = 0; i < list.size(); ++i)
      if (scalar(list[i], "name") == name) return {list[i], i};
  throw std::runtime_error(what + ": no entry named \"" + name + "\"");
}

// A PEM value from `<key>-data` (base64) or `<key>` (a file, relative to the kubeconfig).
std::string pem(const YAML::Node& n, const std::string& key, const fs::path& base,
                const std::string& where) {
  if (std::string data = scalar(n, (key + "-data").c_str()); !data.empty()) {
    auto decoded = credentials::decode_base64(data);
    if (!decoded) throw std::runtime_error(where + "." + key + "-data: invalid base64");
    return *decoded;
  }
  if (std::string file = scalar(n, key.c_str()); !file.empty()) {
    fs::path p = fs::path(file).is_absolute() ? fs::path(file) : base / file;
    return read_text(p, where + "." + key);
  }
  return {};
}

bool truthy(const std::string& s) { return s == "true" || s == "True" || s == "TRUE" || s == "1"; }

}  // namespace

ClusterConfig load_kubeconfig(const fs::path& path, std::string_view context) {
  const std::string file = "kubeconfig " + path.string();
  YAML::Node root;
  try {
    root = YAML::Load(read_text(path, file));
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) throw std::runtime_error(file + ": not a kubeconfig (expected a mapping)");
  std::string ctx_name = context.empty() ? scalar(root, "current-context") : std::string(context);
  if (ctx_name.empty()) throw std::runtime_error(file + ": current-context: not set");
  const fs::path base = path.parent_path();

  auto [ctx_entry, ci] = named(root["contexts"], ctx_name, file + ": contexts");
  const YAML::Node ctx = ctx_entry["context"];
  const std::string ctx_where = file + ": contexts[" + std::to_string(ci) + "].context";
  if (!ctx || !ctx.IsMap()) throw std::runtime_error(ctx_where + ": missing");

  ClusterConfig out;
  out.description = file + " (context " + ctx_name + ")";
  out.ns = scalar(ctx, "namespace");

  const std::string cluster_name = scalar(ctx, "cluster");
  if (cluster_name.empty()) throw std::runtime_error(ctx_where + ".cluster: not set");
  auto [cl_entry, cli] = named(root["clusters"], cluster_name, file + ": clusters");
  const YAML::Node cl = cl_entry["cluster"];
  const std::string cl_where = file + ": clusters[" + std::to_string(cli) + "].cluster";
  if (!cl || !cl.IsMap()) throw std::runtime_error(cl_where + ": missing");
  out.server = scalar(cl, "server");
  if (out.server.empty()) throw std::runtime_error(cl_where + ".server: not set");
  while (out.server.size() > 1 && out.server.back() == '/') out.server.pop_back();
  out.insecure = truthy(scalar(cl, "insecure-skip-tls-verify"));
  out.ca_pem = pem(cl, "certificate-authority", base, cl_where);

  const std::string user_name = scalar(ctx, "user");
  if (!user_name.empty()) {
    auto [u_entry, ui] = named(root["users"], user_name, file + ": users");
    const YAML::Node u = u_entry["user"];
    const std::string u_where = file + ": users[" + std::to_string(ui) + "].user";
    if (u && u.IsMap()) {
      if (const YAML::Node ex = u["exec"]) {
        ExecConfig e;
        e.where = u_where + ".exec";
        e.api_version = scalar(ex, "apiVersion");
        e.command = scalar(ex, "command");
        if (e.command.empty()) throw std::runtime_error(e.where + ".command: not set");
        if (e.command.find('/') != std::string::npos && !fs::path(e.command).is_absolute())
          e.command = (base / e.command).lexically_normal().string();
        if (const YAML::Node args = ex["args"]; args && args.IsSequence())
          for (const auto& a : args) e.args.push_back(a.as<std::string>());
        if (const YAML::Node env = ex["env"]; env && env.IsSequence())
          for (const auto& kv : env) e.env.emplace_back(scalar(kv, "name"), scalar(kv, "value"));
        out.exec = std::move(e);
      }
      if (u["auth-provider"])
        throw std::runtime_error(u_where + ".auth-provider: not supported by this build");
      out.token = scalar(u, "token");
      if (std::string tf = scalar(u, "tokenFile"); !tf.empty())
        out.token_file = fs::path(tf).is_absolute() ? tf : (base / tf).string();
      out.client_cert_pem = pem(u, "client-certificate", base, u_where);
      out.client_key_pem = pem(u, "client-key", base, u_where);
      if (out.client_cert_pem.empty() != out.client_key_pem.empty())
        throw std::runtime_error(u_where +
                                 ": client-certificate and client-key must be set together");
      if (!scalar(u, "username").empty())
        throw std::runtime_error(u_where + ".username: basic authentication is not supported");
    }
  }
  return out;
}

ClusterConfig in_cluster_config(const fs::path& dir) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || *host == '\0' || port == nullptr || *port == '\0')
    throw std::runtime_error(
        "not running in a cluster (KUBERNETES_SERVICE_HOST/PORT unset); pass --kubeconfig");
  ClusterConfig out;
  std::string h = host;
  if (h.find(':') != std::string::npos) h = "[" + h + "]";  // IPv6
  out.server = "https://" + h + ":" + port;
  out.token_file = (dir / "token").string();
  if (!fs::exists(out.token_file))
    throw std::runtime_error("in-cluster configuration: " + out.token_file + " does not exist");
  out.ca_pem = read_text(dir / "ca.crt", "in-cluster configuration");
  if (fs::exists(dir / "namespace")) {
    out.ns = read_text(dir / "namespace", "in-cluster configuration");
    while (!out.ns.empty() && (out.ns.back() == '\n' || out.ns.back() == '\r')) out.ns.pop_back();
  }
  out.description = "in-cluster service account (" + dir.string() + ")";
  return out;
}

ClusterConfig load_cluster_config(const std::string& kubeconfig_flag) {
  if (!kubeconfig_flag.empty()) return load_kubeconfig(kubeconfig_flag);
  return in_cluster_config();
}

}  // namespace iu::kube
