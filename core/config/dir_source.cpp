#include "config/dir_source.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "config/objects.hpp"

namespace iu::config {
namespace fs = std::filesystem;
namespace {

bool is_manifest(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

// Collects manifest files below `dir`; hidden directories and symlinks are not entered.
void walk(const fs::path& dir, std::vector<fs::path>& files, std::vector<ConfigIssue>& issues) {
  const auto report = [&](const fs::path& where, const std::error_code& ec) {
    ObjectRef file;
    file.file = where.generic_string();
    issues.push_back(make_issue(Scope::kSource, file, {}, "cannot read: " + ec.message()));
  };
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return report(dir, ec);
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    const fs::file_status status = entry.symlink_status(ec);
    if (ec) {
      report(entry.path(), ec);
      continue;
    }
    if (fs::is_symlink(status)) continue;
    if (fs::is_directory(status)) {
      if (entry.path().filename().string().rfind('.', 0) != 0) walk(entry.path(), files, issues);
    } else if (fs::is_regular_file(status) && is_manifest(entry.path())) {
      files.push_back(entry.path());
    }
  }
  if (ec) report(dir, ec);
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(text).str();
}

// A loaded object with where it came from, before duplicates are sorted out.
struct Loaded {
  DocumentKind kind;
  std::size_t index;  // into the snapshot vector of that kind
  ObjectRef ref;
};

using Identity = std::tuple<std::string, std::string, std::string>;  // kind, namespace, name

template <class T>
void erase_indices(std::vector<T>& objects, std::vector<std::size_t> indices) {
  std::sort(indices.rbegin(), indices.rend());
  for (std::size_t i : indices) objects.erase(objects.begin() + static_cast<std::ptrdiff_t>(i));
}

// Rejects every object defined more than once, naming all the places it is defined.
void reject_duplicates(Snapshot& snapshot, const std::vector<Loaded>& loaded) {
  std::map<Identity, std::vector<const Loaded*>> by_identity;
  for (const Loaded& l : loaded) by_identity[{l.ref.kind, l.ref.ns, l.ref.name}].push_back(&l);
  std::map<DocumentKind, std::vector<std::size_t>> doomed;
  for (const auto& [identity, places] : by_identity) {
    if (places.size() < 2) continue;
    std::string where;
    for (const Loaded* p : places) {
      where += (where.empty() ? "" : ", ") + p->ref.location();
      doomed[p->kind].push_back(p->index);
    }
    snapshot.issues.push_back(
        make_issue(Scope::kSource, places.front()->ref, {},
                   "defined more than once (" + where + "); every definition is ignored"));
  }
  erase_indices(snapshot.applications, doomed[DocumentKind::kApplication]);
  erase_indices(snapshot.updaters, doomed[DocumentKind::kImageUpdater]);
  erase_indices(snapshot.secrets, doomed[DocumentKind::kSecret]);
}

template <class T>
void sort_by_identity(std::vector<T>& objects) {
  std::stable_sort(objects.begin(), objects.end(), [](const T& a, const T& b) {
    return std::tie(a.ref.ns, a.ref.name) < std::tie(b.ref.ns, b.ref.name);
  });
}

void load_documents(const std::vector<YAML::Node>& documents, ParseOptions options,
                    Snapshot& snapshot, std::vector<Loaded>& loaded) {
  for (std::size_t i = 0; i < documents.size(); ++i) {
    options.document_index = i;
    const YAML::Node& doc = documents[i];
    switch (classify(doc)) {
      case DocumentKind::kApplication:
        if (auto app = parse_application(doc, options, &snapshot.issues)) {
          loaded.push_back({DocumentKind::kApplication, snapshot.applications.size(), app->ref});
          snapshot.applications.push_back(std::move(*app));
        }
        break;
      case DocumentKind::kImageUpdater:
        if (auto cr = parse_image_updater(doc, options, &snapshot.issues)) {
          loaded.push_back({DocumentKind::kImageUpdater, snapshot.updaters.size(), cr->ref});
          snapshot.updaters.push_back(std::move(*cr));
        }
        break;
      case DocumentKind::kSecret:
        if (auto secret = parse_secret(doc, options, &snapshot.issues)) {
          loaded.push_back({DocumentKind::kSecret, snapshot.secrets.size(), secret->ref});
          snapshot.secrets.push_back(std::move(*secret));
        }
        break;
      case DocumentKind::kOther:
        break;
    }
  }
}

}  // namespace

DirSource::DirSource(fs::path root, std::string argocd_namespace)
    : root_(std::move(root)), argocd_namespace_(std::move(argocd_namespace)) {}

Snapshot DirSource::load() const {
  std::error_code ec;
  if (!fs::is_directory(root_, ec))
    throw std::runtime_error("--dir " + root_.generic_string() +
                             (ec ? ": cannot read: " + ec.message() : ": not a directory"));
  Snapshot snapshot;
  std::vector<fs::path> files;
  walk(root_, files, snapshot.issues);
  std::sort(files.begin(), files.end());

  std::vector<Loaded> loaded;
  for (const fs::path& path : files) {
    ObjectRef where;
    where.file = path.generic_string();
    const std::optional<std::string> text = read_file(path);
    if (!text) {
      snapshot.issues.push_back(make_issue(Scope::kSource, where, {}, "cannot read the file"));
      continue;
    }
    std::vector<YAML::Node> documents;
    try {
      documents = YAML::LoadAll(*text);
    } catch (const YAML::Exception& e) {
      where.line = e.mark.line + 1;
      where.column = e.mark.column + 1;
      snapshot.issues.push_back(make_issue(Scope::kSource, where, {}, e.msg));
      continue;
    }
    ParseOptions options;
    options.default_namespace = argocd_namespace_;
    options.strict = true;
    options.file = where.file;
    load_documents(documents, options, snapshot, loaded);
  }
  reject_duplicates(snapshot, loaded);
  sort_by_identity(snapshot.applications);
  sort_by_identity(snapshot.updaters);
  sort_by_identity(snapshot.secrets);
  return snapshot;
}

}  // namespace iu::config
