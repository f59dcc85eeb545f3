// Objects of the configuration model and the problems found in them (SPEC §14).
//
// Every problem names its object and field:
//   ImageUpdater argocd/shop: spec.applicationRefs[0].images[1].commonUpdateSettings.allowTags: …
//   Application argocd/web:
//   metadata.annotations["argocd-image-updater.argoproj.io/x.force-update"]: …
// Problems that concern a file rather than an object (a YAML syntax error in the `dir` source)
// are located instead: `deploy/apps.yaml:14:7: …`.
// Messages never contain secret values: only names, references and the offending setting.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace iu::config {

// Identifies a Kubernetes object. `file`, `line` and `column` (1-based) locate the document in
// the `dir` source and are empty/0 for objects read from the Kubernetes API.
struct ObjectRef {
  std::string kind;  // "ImageUpdater", "Application", "Secret"
  std::string ns;
  std::string name;
  std::string file;
  int line = 0;
  int column = 0;

  // `<Kind> <ns>/<name>`.
  std::string display() const;
  // `file:line:col` (just `file` when the position is unknown); empty when there is no file.
  std::string location() const;

  // Identity is kind, namespace and name; the location is not part of it.
  bool same_object(const ObjectRef& other) const {
    return kind == other.kind && ns == other.ns && name == other.name;
  }
};

enum class Severity { kError, kWarning };

// Which part of the configuration an error takes out of service (SPEC §14 table).
enum class Scope {
  kSource,       // a file or document of the source; the objects it holds are not loaded
  kUpdater,      // the whole ImageUpdater
  kApplication,  // one application
  kImage,        // one image of one application
};

struct ConfigIssue {
  Severity severity = Severity::kError;
  Scope scope = Scope::kSource;
  ObjectRef object;        // kind empty for issues about a file as a whole
  std::string field_path;  // e.g. `spec.applicationRefs[0].namePattern`; may be empty
  std::string message;     // the problem, optionally `: <detail>`

  // SPEC §14 text: `<Kind> <ns>/<name>: <field path>: <message>`, or
  // `<file>:<line>:<col>: <message>` for an issue without an object.
  std::string what() const;
};

// Builds an error (or warning) about a field of an object.
ConfigIssue make_issue(Scope scope, const ObjectRef& object, std::string field_path,
                       std::string message, Severity severity = Severity::kError);

// Logs each issue once: errors at level error, warnings at level warn, with the message in §14
// format and the object's file (when known) as field `file`.
void log_issues(std::span<const ConfigIssue> issues);

// True when any issue in `issues` is an error.
bool has_errors(std::span<const ConfigIssue> issues);

}  // namespace iu::config
