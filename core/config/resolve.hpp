// From a snapshot to the applications this pass manages (SPEC §4.1 matching, §4.2, §14).
//
// crd / dir: each ImageUpdater considers the Applications of its own namespace, its refs ranked
// by specificity (ties keep spec order); an application uses the first ref whose namePattern and
// labelSelectors both match. When several ImageUpdaters of a namespace match one application,
// the lexically smallest name owns it; the others get a warning and skip it.
// annotations: every Application carrying the `image-list` annotation, filtered by the
// `--match-application-name` globs (any-of) and the `--match-application-label` selector, under
// the synthetic updater `legacy-annotations` in the Argo CD namespace.
// A ref with `useAnnotations: true` reads images, settings and write-back from the annotations
// exactly like the annotations source (the CR's commonUpdateSettings and writeBackConfig do not
// apply); only its imagesVerification, merged over the spec's, comes from the CR. An application
// it matches without an `image-list` annotation is managed with no images.
// Credential references (`pullSecret`, `git:secret:<ns>/…`) reached through an ImageUpdater
// (crd and dir sources, useAnnotations included) must name the CR's namespace; the annotations
// source keeps v0.x semantics (any namespace).
// Applications are taken as given: limiting them to the watched namespaces is the source's job.
//
// Error scopes (§14): an ImageUpdater with CR-level errors manages nothing; an application-level
// error marks that application skipped; an image-level error drops that image from that
// application only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/image_config.hpp"
#include "config/label_selector.hpp"
#include "config/snapshot.hpp"
#include "config/write_back.hpp"
#include "model/glob.hpp"

namespace iu::config {

inline constexpr std::string_view kLegacyUpdaterName = "legacy-annotations";
inline constexpr std::string_view kAnnotationPrefix = "argocd-image-updater.argoproj.io/";

enum class SourceKind { kCrd, kAnnotations, kDir };

struct MatchOptions {
  SourceKind source = SourceKind::kCrd;
  std::string argocd_namespace = "argocd";
  std::vector<model::Glob> name_globs;          // annotations: any-of; empty = every name
  std::optional<LabelSelector> label_selector;  // annotations: `--match-application-label`
  StrategyChecker check_strategy;               // null: builtin_strategy_check
  WriteBackChecker check_write_back;            // null: builtin_write_back_check
  // Features of SPEC §9.9-9.10 this build implements. An ImageUpdater that needs a missing one
  // is rejected with `…: not supported by this build` rather than silently ignored.
  bool verification_supported = false;
  bool pull_requests_supported = false;
};

struct ManagedApplication {
  const Application* app = nullptr;  // points into the Snapshot given to resolve()
  ObjectRef updater;                 // the owning ImageUpdater, or the synthetic one
  std::string ref_field;         // `spec.applicationRefs[i]` that matched; "" in annotations mode
  bool use_annotations = false;  // settings were read from the Application's annotations
  std::vector<ImageConfig> images;  // the usable images, in configuration order
  WriteBackConfig write_back;
  bool skipped = false;             // an application-level error: process nothing
  std::vector<ConfigIssue> issues;  // the errors and warnings concerning this application
};

// Resolves every managed application, sorted by (namespace, name). All problems found,
// including the CR-level errors already recorded in the snapshot's ImageUpdaters, are appended
// to `*issues` (when given), each once; a ManagedApplication also keeps copies of its own.
std::vector<ManagedApplication> resolve(const Snapshot& snapshot, const MatchOptions& options,
                                        std::vector<ConfigIssue>* issues);

}  // namespace iu::config
