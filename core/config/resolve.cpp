#include "config/resolve.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "config/resolve_app.hpp"

namespace iu::config {
namespace {

using Key = std::pair<std::string, std::string>;  // namespace, name

Key key_of(const ObjectRef& ref) { return {ref.ns, ref.name}; }

template <class T>
std::vector<const T*> sorted_by_key(const std::vector<T>& objects) {
  std::vector<const T*> out;
  for (const T& o : objects) out.push_back(&o);
  std::stable_sort(out.begin(), out.end(),
                   [](const T* a, const T* b) { return key_of(a->ref) < key_of(b->ref); });
  return out;
}

// Indices of `refs`, most specific first; equal scores keep spec order.
std::vector<std::size_t> ranked_refs(const std::vector<ApplicationRefSpec>& refs) {
  std::vector<std::size_t> order(refs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return refs[a].specificity() > refs[b].specificity();
  });
  return order;
}

// Each issue once, in order of first appearance.
void drop_duplicates(std::vector<ConfigIssue>& issues) {
  std::set<std::pair<int, std::string>> seen;
  std::vector<ConfigIssue> unique;
  for (ConfigIssue& issue : issues)
    if (seen.emplace(static_cast<int>(issue.severity), issue.what()).second)
      unique.push_back(std::move(issue));
  issues = std::move(unique);
}

void resolve_updaters(const Snapshot& snapshot, const MatchOptions& options,
                      std::vector<ManagedApplication>& out, std::vector<ConfigIssue>& issues) {
  std::vector<const ImageUpdater*> usable;
  for (const ImageUpdater* cr : sorted_by_key(snapshot.updaters)) {
    issues.insert(issues.end(), cr->warnings.begin(), cr->warnings.end());
    if (!cr->valid()) {
      issues.insert(issues.end(), cr->errors.begin(), cr->errors.end());
      continue;
    }
    if (check_updater(*cr, options, &issues)) usable.push_back(cr);
  }
  const std::vector<const Application*> apps = sorted_by_key(snapshot.applications);
  std::map<Key, const ImageUpdater*> owners;
  // `usable` is sorted by (namespace, name): the first updater to match an application is the
  // one with the lexically smallest name in its namespace, and owns it.
  for (const ImageUpdater* cr : usable) {
    const std::vector<std::size_t> order = ranked_refs(cr->application_refs);
    for (const Application* app : apps) {
      if (app->ref.ns != cr->ref.ns) continue;
      const ApplicationRefSpec* match = nullptr;
      for (std::size_t i : order)
        if (cr->application_refs[i].matches(app->ref.name, app->labels)) {
          match = &cr->application_refs[i];
          break;
        }
      if (match == nullptr) continue;
      auto [owner, fresh] = owners.emplace(key_of(app->ref), cr);
      if (!fresh) {
        issues.push_back(
            make_issue(Scope::kApplication, cr->ref, match->field,
                       "application \"" + app->ref.name + "\" is also matched by " +
                           owner->second->ref.display() +
                           ", which owns it (lexically smallest name); skipping it here",
                       Severity::kWarning));
        continue;
      }
      out.push_back(build_from_ref(*app, *cr, *match, options));
    }
  }
}

void resolve_annotations(const Snapshot& snapshot, const MatchOptions& options,
                         std::vector<ManagedApplication>& out) {
  ObjectRef legacy;
  legacy.kind = "ImageUpdater";
  legacy.ns = options.argocd_namespace;
  legacy.name = std::string(kLegacyUpdaterName);
  const std::string image_list = std::string(kAnnotationPrefix) + "image-list";
  for (const Application* app : sorted_by_key(snapshot.applications)) {
    if (app->annotations.find(image_list) == app->annotations.end()) continue;
    const bool name_ok = options.name_globs.empty() ||
                         std::any_of(options.name_globs.begin(), options.name_globs.end(),
                                     [&](const model::Glob& g) { return g.match(app->ref.name); });
    if (!name_ok) continue;
    if (options.label_selector && !options.label_selector->matches(app->labels)) continue;
    out.push_back(build_from_annotations(*app, legacy, options));
  }
}

}  // namespace

std::vector<ManagedApplication> resolve(const Snapshot& snapshot, const MatchOptions& options,
                                        std::vector<ConfigIssue>* issues) {
  std::vector<ManagedApplication> out;
  std::vector<ConfigIssue> found;
  if (options.source == SourceKind::kAnnotations)
    resolve_annotations(snapshot, options, out);
  else
    resolve_updaters(snapshot, options, out, found);
  std::stable_sort(out.begin(), out.end(),
                   [](const ManagedApplication& a, const ManagedApplication& b) {
                     return key_of(a.app->ref) < key_of(b.app->ref);
                   });
  for (ManagedApplication& m : out) {
    drop_duplicates(m.issues);
    found.insert(found.end(), m.issues.begin(), m.issues.end());
  }
  drop_duplicates(found);
  if (issues != nullptr) issues->insert(issues->end(), found.begin(), found.end());
  return out;
}

const Secret* Snapshot::find_secret(std::string_view ns, std::string_view name) const {
  for (const Secret& s : secrets)
    if (s.ref.ns == ns && s.ref.name == name) return &s;
  return nullptr;
}

const Application* Snapshot::find_application(std::string_view ns, std::string_view name) const {
  for (const Application& a : applications)
    if (a.ref.ns == ns && a.ref.name == name) return &a;
  return nullptr;
}

}  // namespace iu::config
