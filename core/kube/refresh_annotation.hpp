// The value of the Application annotation `argocd-image-updater.argoproj.io/refresh`, through
// which a replica hands the part of a webhook event that belongs to a shard it does not hold
// over to that shard's owner (SPEC §12.4). Pure functions; the API side is
// kube/refresh_handover.hpp.
//
// Format: comma-separated entries `<registry>/<repository>@<RFC 3339 time>`, e.g.
//   registry.local:5000/team/web@2026-08-20T10:00:00.123456Z,ghcr.io/acme/api@2026-08-20T10:00:03Z
//  * Entries accumulate: hand-overs for different repositories that reach an application
//    before its owner has looked are all kept (overwriting would silently drop all but the
//    last). One entry per image: a newer hand-over for the same image renews its time.
//  * The time is written with microseconds, so two hand-overs of one image are two different
//    values: the owner removes exactly the entries it has checked (compare-and-remove by
//    entry text), and an entry renewed meanwhile stays for another check.
//  * The time is informational otherwise: an entry is checked once whatever its age (one
//    written while no replica held the shard included), then removed.
//  * At most kMaxRefreshEntries entries; beyond that the oldest is dropped (its image is still
//    checked by the owner's next regular pass).
//  * Malformed entries (hand-edited, truncated) are reported by parse_refresh and dropped by
//    every rewrite: nobody could ever process them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace iu::kube {

inline constexpr std::string_view kRefreshAnnotation = "argocd-image-updater.argoproj.io/refresh";
inline constexpr std::size_t kMaxRefreshEntries = 32;

struct RefreshEntry {
  std::string registry;    // host[:port] as the event named it (canonical: "docker.io" for Hub)
  std::string repository;  // repository path ("team/web", "library/nginx")
  std::string time;        // RFC 3339, as written

  std::string image() const { return registry + "/" + repository; }
  std::string text() const { return image() + "@" + time; }
  bool operator==(const RefreshEntry&) const = default;
};

struct RefreshValue {
  std::vector<RefreshEntry> entries;   // in the order written
  std::vector<std::string> malformed;  // entries that could not be read, as written
};

// Splits an annotation value. Never throws; empty items (",,") are ignored.
RefreshValue parse_refresh(std::string_view value);

// The annotation value of `entries` ("" for none).
std::string format_refresh(const std::vector<RefreshEntry>& entries);

// `entries` with `add`: an entry for the same image takes the newer time (its position is
// kept), a new image is appended; then the oldest entries beyond kMaxRefreshEntries go.
std::vector<RefreshEntry> merge_refresh(std::vector<RefreshEntry> entries, const RefreshEntry& add);

// What the annotation should hold once `done` were checked: the entries of `current` whose text
// is not among `done` (malformed ones are dropped too).
std::vector<RefreshEntry> remaining_refresh(const RefreshValue& current,
                                            const std::vector<RefreshEntry>& done);

}  // namespace iu::kube
