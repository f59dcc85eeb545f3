// The edits of SPEC §9.3 on an Application object (JSON text in, JSON text out), independent of
// how the object is read and written.
//
// Fields are relative to the selected source (`spec.source`, `spec.sources[i]`):
//   Helm       helm.parameters: {name: <helm.name>, value: <name>, forceString: true} and
//              {name: <helm.tag>, value: <tag>, forceString: true}; or one entry for helm.spec
//   Kustomize  kustomize.images: `[<kustomize.name>=]<name>:<tag>[@digest]`
//   Plugin     plugin.env: {name: <plugin.spec>, value: <spec>}, or plugin.name / plugin.tag
// An entry with the same parameter/env name (Kustomize: the same key, the text before `=`, else
// the image name without tag/digest) is replaced in place, otherwise appended. An entry that
// already holds the wanted value is left alone, so re-applying the same edits to a newer object
// never writes twice.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace iu::argocdwb {

struct ImageEdit {
  std::string alias;
  std::string image_name;  // [registry/]repository as configured
  std::string new_tag;
  std::string new_digest;  // "" unless the strategy pinned a digest
  std::map<std::string, std::string>
      target;  // helm.name, helm.tag, helm.spec, kustomize.name, plugin.*
};

// A problem with the object or the edits (missing source, wrong field type); the message names
// the field.
class EditError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct EditOutcome {
  std::string object;    // the edited object (JSON); equal to the input when nothing changed
  uint64_t changed = 0;  // edits that modified at least one entry
};

// One list entry an image edit sets, in the terms both the JSON object and the YAML document
// share: `<block>.<list>` of the selected source (helm.parameters, kustomize.images, plugin.env).
struct EntryEdit {
  enum class Kind {
    kNamed,           // a {name, value[, forceString]} entry matched by name
    kKustomizeImage,  // a `[<alias>=]<name>:<tag>[@digest]` string matched by its key
  };
  Kind kind = Kind::kNamed;
  std::string block;          // "helm", "kustomize" or "plugin"
  std::string list;           // "parameters", "images" or "env"
  std::string key;            // kNamed: the entry's name; kKustomizeImage: the image key
  std::string value;          // kNamed: the value; kKustomizeImage: the whole entry
  bool force_string = false;  // kNamed: the entry also gets `forceString: true`
};

// The entries one image edit sets on a source of type `source_type` ("Helm", "Kustomize",
// "Plugin"). Throws EditError for another type or an incomplete plugin target.
std::vector<EntryEdit> entries_for(const std::string& source_type, const ImageEdit& e);

// The index of `spec.sources[<i>]`, or -1 for `spec.source` (also for ""). Throws EditError for
// any other field: the argocd write-back edits those two only.
long source_index(const std::string& source_field);

// Applies `edits` to the source named `source_field` (`spec.source`, `spec.sources[1]`) as
// `source_type` ("Helm", "Kustomize", "Plugin"). Throws EditError.
EditOutcome apply_edits(const std::string& application_json, const std::string& source_field,
                        const std::string& source_type, const std::vector<ImageEdit>& edits);

// The written tag: `tag`, or `tag@digest` (SPEC §9.2).
std::string written_tag(const ImageEdit& e);

}  // namespace iu::argocdwb
