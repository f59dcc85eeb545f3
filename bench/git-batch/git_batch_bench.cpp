// git-batch benchmark: 1,000 applications in one monorepo all receiving an update.
//
//   ours      writeback-git.so, loaded through the real loader, one write_batch with every
//             intent: one fetch, one commit, one push (starting from an empty clone cache)
//   upstream  what upstream does per application: a shallow clone, an edit, a commit and a push
//             with the git CLI, one application after the other. Run on a subset (--upstream-apps,
//             default 50) and extrapolated linearly to all applications; the output says so.
//
// Both talk to the same git daemon of the fixtures (shared/fixtures/gitserver.sh) on 127.0.0.1.
// Exits 1 when our side made anything but exactly 1 commit and 1 push.
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "plugin_host/catalog.hpp"
#include "plugin_host/instance.hpp"
#include "plugin_host/kinds.hpp"
#include "plugin_host/loader.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command (git without system/global config); throws on failure.
std::string sh(const std::string& command) {
  std::string full =
      "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=bench "
      "GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench "
      "GIT_COMMITTER_EMAIL=bench@example.invalid sh -c " +
      quote(command) + " 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen failed");
  std::string out;
  std::array<char, 4096> buf{};
  for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
  int st = ::pclose(p);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
    throw std::runtime_error("command failed: " + command + "\n" + out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Options {
  int apps = 1000;
  int upstream_apps = 50;
  fs::path shared;
  fs::path plugin = IU_WRITEBACK_GIT_PLUGIN;
};

Options parse(int argc, char** argv) {
  Options o;
  if (const char* env = std::getenv("IU_SHARED_DIR"); env != nullptr && *env != '\0')
    o.shared = env;
  else
    o.shared = IU_DEFAULT_SHARED_DIR;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--apps")
      o.apps = std::stoi(next());
    else if (a == "--upstream-apps")
      o.upstream_apps = std::stoi(next());
    else if (a == "--shared")
      o.shared = next();
    else if (a == "--plugin")
      o.plugin = next();
    else
      throw std::runtime_error("unknown option " + a +
                               " (--apps N --upstream-apps N --shared DIR --plugin FILE)");
  }
  if (o.apps < 1 || o.upstream_apps < 1 || o.upstream_apps > o.apps)
    throw std::runtime_error("need 1 <= --upstream-apps <= --apps");
  if (!fs::exists(o.shared / "fixtures" / "gitserver.sh"))
    throw std::runtime_error("fixtures not found under " + o.shared.string() +
                             " (set IU_SHARED_DIR or --shared)");
  return o;
}

std::string app_name(int i) {
  char b[16];
  std::snprintf(b, sizeof(b), "app-%04d", i);
  return b;
}

// One application's intent storage (the C structs borrow from it).
struct AppIntent {
  std::vector<std::pair<std::string, std::string>> settings, target;
  std::string ns = "argocd", name, method = "git", image, old_tag = "1.0.0", new_tag = "1.0.1";
  std::vector<iu_kv> kv, target_kv;
  iu_image_change change{};
  iu_write_intent raw{};

  void build() {
    auto s = [](const std::string& v) { return iu_str{v.data(), v.size()}; };
    for (auto& [k, v] : settings) kv.push_back(iu_kv{s(k), s(v)});
    for (auto& [k, v] : target) target_kv.push_back(iu_kv{s(k), s(v)});
    change = iu_image_change{
        sizeof(iu_image_change), {}, s(image), s(old_tag), s(new_tag), {}, target_kv.data(),
        target_kv.size()};
    raw = iu_write_intent{
        sizeof(iu_write_intent), s(ns), s(name), s(method), kv.data(), kv.size(), &change, 1,
        sizeof(iu_image_change), {}};
  }
};

}  // namespace

int main(int argc, char** argv) try {
  Options opt = parse(argc, argv);
  std::string tmpl = (fs::temp_directory_path() / "iu-bench-git-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  fs::path dir = tmpl;
  const std::string gitserver = quote((opt.shared / "fixtures" / "gitserver.sh").string());
  const std::string server_dir = quote((dir / "server").string());
  struct Cleanup {
    std::string stop;
    fs::path dir;
    ~Cleanup() {
      std::system((stop + " >/dev/null 2>&1").c_str());
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{gitserver + " stop " + server_dir, dir};

  std::string env = sh(gitserver + " start " + server_dir + " 0 --no-http --ttl 1800");
  std::string daemon = env.substr(env.find("GIT_DAEMON_URL=") + 15);
  daemon = daemon.substr(0, daemon.find('\n'));
  const std::string url = daemon + "/mono.git";
  const fs::path bare = dir / "server" / "repos" / "mono.git";

  // The monorepo: apps/app-NNNN/values.yaml for every application.
  auto t0 = Clock::now();
  sh(gitserver + " create-repo " + server_dir + " mono --layout empty >/dev/null");
  fs::path seed = dir / "seed";
  fs::create_directories(seed);
  for (int i = 0; i < opt.apps; ++i) {
    fs::create_directories(seed / "apps" / app_name(i));
    std::ofstream(seed / "apps" / app_name(i) / "values.yaml")
        << "# values of " << app_name(i) << "\nreplicaCount: 1\nimage:\n  repository: "
        << "ghcr.io/acme/" << app_name(i) << "\n  tag: \"1.0.0\"  # managed\n";
  }
  sh("cd " + quote(seed.string()) + " && git init -q -b main && git add -A && git commit -qm seed" +
     " && git push -q " + quote(url) + " main && git -C " + quote(bare.string()) +
     " config core.logAllRefUpdates true");
  std::cout << "monorepo: " << opt.apps << " applications seeded in " << seconds_since(t0)
            << " s\n";

  // Ours: one batch.
  iu::plugin_host::Catalog catalog;
  if (iu::plugin_host::load_file(opt.plugin, catalog) != 1)
    throw std::runtime_error("cannot load " + opt.plugin.string());
  const auto& impl = catalog.resolve(iu::plugin_host::Kind::writeback, "git");
  iu::plugin_host::WritebackInstance wb(
      impl,
      iu::plugin_host::validate_config(impl, {{"cache_dir", (dir / "cache").string()}}, "bench"));
  std::vector<std::unique_ptr<AppIntent>> intents;
  std::vector<const iu_write_intent*> ptrs;
  for (int i = 0; i < opt.apps; ++i) {
    auto a = std::make_unique<AppIntent>();
    a->name = app_name(i);
    a->image = "ghcr.io/acme/" + a->name;
    a->settings = {{"repository", url},
                   {"branch", "main"},
                   {"write_back_target", "helmvalues"},
                   {"source_path", "apps/" + a->name},
                   {"source_type", "Helm"}};
    a->target = {{"helm.name", "image.repository"}, {"helm.tag", "image.tag"}};
    a->build();
    ptrs.push_back(&a->raw);
    intents.push_back(std::move(a));
  }
  const int commits_before =
      std::stoi(sh("git -C " + quote(bare.string()) + " rev-list --count main"));
  auto t1 = Clock::now();
  auto results = wb.write_batch(ptrs);
  const double ours = seconds_since(t1);
  int failed = 0;
  for (const auto& r : results)
    if (r.status != IU_STATUS_OK || r.changes_applied != 1) ++failed;
  const int commits =
      std::stoi(sh("git -C " + quote(bare.string()) + " rev-list --count main")) - commits_before;
  const int pushes =
      std::stoi(sh("wc -l < " + quote((bare / "logs" / "refs" / "heads" / "main").string())));
  std::cout << "ours:     " << opt.apps << " applications, 1 batch: " << ours
            << " s wall (cold cache), " << commits << " commit(s), " << pushes << " push(es), "
            << failed << " failed intent(s)\n";

  // Upstream: per application a shallow clone, edit, commit and push with the git CLI.
  auto t2 = Clock::now();
  for (int i = 0; i < opt.upstream_apps; ++i) {
    std::string w = quote((dir / "up").string());
    std::string file = "apps/" + app_name(i) + "/values.yaml";
    sh("rm -rf " + w + " && git clone -q --depth 1 --branch main " + quote(url) + " " + w +
       " && sed -i 's/tag: \"1.0.1\"/tag: \"1.0.2\"/' " + w + "/" + file + " && git -C " + w +
       " commit -qam " + quote("build: automatic update of " + app_name(i)) + " && git -C " + w +
       " push -q origin main");
  }
  const double upstream_subset = seconds_since(t2);
  const double per_app = upstream_subset / opt.upstream_apps;
  const double upstream = per_app * opt.apps;
  std::cout << "upstream: " << opt.upstream_apps << " applications measured: " << upstream_subset
            << " s (" << per_app * 1000 << " ms per application: shallow clone + commit + push)\n";
  std::cout << "upstream: extrapolated linearly to " << opt.apps << " applications: " << upstream
            << " s, " << opt.apps << " commits, " << opt.apps << " pushes\n";
  std::cout << "ratio upstream/ours: " << upstream / ours << "x\n";
  if (commits != 1 || pushes != 1 || failed != 0) {
    std::cerr << "FAIL: expected exactly 1 commit, 1 push and no failed intent\n";
    return 1;
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "git-batch bench: " << e.what() << "\n";
  return 2;
}
