#include "registry/image_selector.hpp"

#include <algorithm>
#include <set>

#include "log/log.hpp"
#include "registry/parallel.hpp"

namespace iu::registry {
namespace {

// One candidate tag and what is known about it.
struct Cand {
  std::string tag;
  int64_t created_ms = IU_TIME_UNKNOWN;
  std::string digest;
  int64_t pushed_at_ms = IU_TIME_UNKNOWN;
  std::vector<std::pair<std::string, std::string>> labels;
  bool dropped = false;
  bool fresh = false;  // digest confirmed by the registry during this check
};

std::string platform_list(const std::vector<model::Platform>& platforms) {
  std::string out;
  for (const auto& p : platforms) out += (out.empty() ? "" : ", ") + model::to_string(p);
  return out;
}

// The work of one select() call.
class Check {
 public:
  Check(MetadataStore& store, RepositoryClient& client, const SelectionRequest& req,
        const ImageSelector::Options& options)
      : client_(client),
        req_(req),
        options_(options),
        explicit_platforms_(!req.platforms.empty()),
        platforms_(explicit_platforms_ ? req.platforms
                                       : std::vector<model::Platform>{model::runtime_platform()}),
        meta_(store, client, options.tag_digest, platforms_),
        fresh_tags_(req.fresh_tags.begin(), req.fresh_tags.end()) {
    if (!req.live_tag.empty()) fresh_tags_.insert(req.live_tag);
  }

  Selection run(const TagList& tags) {
    Selection sel;
    sel.tags_listed = tags.size();
    std::vector<std::string_view> names;
    names.reserve(tags.size());
    for (const auto& t : tags) names.push_back(t.tag);
    for (std::size_t i : req_.filter.apply(names)) {
      Cand c;
      c.tag = tags[i].tag;
      c.digest = tags[i].digest;
      c.pushed_at_ms = tags[i].pushed_at_ms;
      cands_.push_back(std::move(c));
    }
    sel.tags_allowed = cands_.size();
    log::debug("tags listed and filtered", {{"image_name", req_.image},
                                            {"listed", std::to_string(sel.tags_listed)},
                                            {"allowed", std::to_string(sel.tags_allowed)}});
    if (cands_.empty()) {
      sel.reason = "no tags of " + req_.image + " passed allowTags and ignoreTags";
      return sel;
    }
    gather_metadata();
    std::erase_if(cands_, [](const Cand& c) { return c.dropped; });
    sel.candidates = cands_.size();
    if (cands_.empty()) {
      sel.reason = "no tags of " + req_.image + " have a manifest for platforms " +
                   platform_list(platforms_);
      return sel;
    }
    sel.winner = choose(&sel.reason);
    return sel;
  }

 private:
  const plugin_host::StrategyInstance& strategy() const { return *req_.strategy; }
  bool needs(uint32_t flag) const { return (strategy().needs() & flag) != 0; }
  std::string tagsortmode() const { return client_.setting("tagsortmode"); }
  bool synthetic_times() const {
    const auto mode = tagsortmode();
    return mode == "latest-first" || mode == "latest-last" || mode == "pushed";
  }

  // §6.5 build times and the STRICT platform check, then digests; in parallel per tag.
  void gather_metadata() {
    if (needs(IU_NEEDS_CREATED) && synthetic_times()) {
      const auto mode = tagsortmode();
      const auto n = static_cast<int64_t>(cands_.size());
      for (int64_t k = 0; k < n; ++k) {
        auto& c = cands_[static_cast<std::size_t>(k)];
        if (mode == "latest-first")
          c.created_ms = n - 1 - k;
        else if (mode == "latest-last")
          c.created_ms = k;
        else
          c.created_ms = c.pushed_at_ms == IU_TIME_UNKNOWN ? 0 : c.pushed_at_ms;
      }
    } else if (needs(IU_NEEDS_CREATED)) {
      each([this](Cand& c) { resolve_build(c, fresh_tags_.count(c.tag) != 0); });
    } else if (strategy().platforms() == IU_PLATFORMS_STRICT) {
      each([this](Cand& c) {
        c.dropped = !meta_.matches_platform(meta_.tag_manifest(c.tag, is_fresh(c.tag)));
      });
    }
    if (needs(IU_NEEDS_DIGEST)) {
      each([this](Cand& c) {
        if (!c.dropped && c.digest.empty())
          c.digest = meta_.tag_manifest(c.tag, is_fresh(c.tag)).digest;
      });
    }
  }

  bool is_fresh(const std::string& tag) const { return fresh_tags_.count(tag) != 0; }

  template <typename Fn>
  void each(Fn fn) {
    parallel_for(cands_.size(), options_.metadata_concurrency, [&](std::size_t i) {
      try {
        fn(cands_[i]);
      } catch (const plugin_host::PluginError& e) {
        // A tag deleted since the listing is no longer a candidate; other errors are final.
        if (e.status() != IU_STATUS_NOT_FOUND) throw;
        log::warn("tag disappeared while reading its metadata; skipping it",
                  {{"image_name", req_.image}, {"image_tag", cands_[i].tag}});
        cands_[i].dropped = true;
      }
    });
  }

  void resolve_build(Cand& c, bool fresh) {
    try {
      auto info = meta_.build_info(c.tag, fresh);
      c.digest = info.digest;
      c.created_ms = info.created_ms;
      c.labels = std::move(info.labels);
      c.dropped = !info.platform_match;
      c.fresh = fresh || info.confirmed;
      if (c.dropped && log::enabled(log::Level::debug))
        log::debug("tag has no manifest for the configured platforms; skipping it",
                   {{"image_name", req_.image},
                    {"image_tag", c.tag},
                    {"platforms", platform_list(platforms_)}});
    } catch (const UnparsableCreated& e) {
      log::warn(std::string("skipping tag: ") + e.what(), {{"image_name", req_.image}});
      c.dropped = true;
    }
  }

  std::vector<uint64_t> rank(uint64_t max_results) const {
    std::vector<plugin_host::Candidate> views;
    views.reserve(cands_.size());
    for (const auto& c : cands_) {
      if (c.dropped) continue;  // only after a re-check; ranks map back through `live`
      views.push_back(plugin_host::Candidate{c.tag, c.created_ms, c.digest, c.pushed_at_ms});
    }
    return strategy().rank(req_.version, req_.image, views, max_results);
  }

  // Index into cands_ of the n-th live candidate (ranks index the live ones).
  std::size_t live_index(uint64_t n) const {
    for (std::size_t i = 0; i < cands_.size(); ++i)
      if (!cands_[i].dropped && n-- == 0) return i;
    return cands_.size();
  }

  SelectedTag selected(const Cand& c) const {
    return SelectedTag{c.tag, c.digest, c.created_ms, c.labels};
  }

  std::optional<SelectedTag> choose(std::string* reason) {
    const bool lazy_walk = strategy().platforms() == IU_PLATFORMS_LAZY && explicit_platforms_;
    const bool metadata_ranked = needs(IU_NEEDS_CREATED) && !synthetic_times();
    // Re-rank whenever the winner's fresh digest differs from the one its metadata came from.
    // Every pass refreshes one more tag, so this ends after at most cands_.size() rounds.
    for (std::size_t round = 0; round <= cands_.size(); ++round) {
      auto ranked = rank(lazy_walk ? 0 : 1);
      if (ranked.empty()) {
        *reason = "no tags of " + req_.image + " matched the " + strategy().implementation().name +
                  " strategy" + (req_.version.empty() ? "" : " for \"" + req_.version + "\"");
        return std::nullopt;
      }
      if (lazy_walk) return walk(ranked, reason);
      Cand& w = cands_[live_index(ranked.front())];
      if (metadata_ranked && !w.fresh && req_.confirm_winner) {
        const std::string before = w.digest;
        resolve_build(w, true);
        if (w.dropped || w.digest != before) continue;
      }
      if (strategy().platforms() == IU_PLATFORMS_WINNER ||
          strategy().result() == IU_RESULT_FRESH_DIGEST)
        return finish_winner(w, reason);
      return selected(w);
    }
    *reason = "the candidates of " + req_.image + " kept changing while being checked";
    return std::nullopt;
  }

  // WINNER platforms and FRESH_DIGEST results: both need the manifest the registry serves now.
  std::optional<SelectedTag> finish_winner(Cand& w, std::string* reason) {
    const auto m = meta_.tag_manifest(w.tag, true);
    if (strategy().platforms() == IU_PLATFORMS_WINNER && !meta_.matches_platform(m)) {
      *reason = "tag " + w.tag + " of " + req_.image + " has no manifest for platforms " +
                platform_list(platforms_);
      return std::nullopt;
    }
    auto out = selected(w);
    if (strategy().result() == IU_RESULT_FRESH_DIGEST || out.digest.empty()) out.digest = m.digest;
    return out;
  }

  // §6.3 lazy check: the best tag whose manifest matches; the match is confirmed fresh.
  std::optional<SelectedTag> walk(const std::vector<uint64_t>& ranked, std::string* reason) {
    for (uint64_t r : ranked) {
      Cand& c = cands_[live_index(r)];
      bool confirmed = false;
      auto m = meta_.tag_manifest(c.tag, is_fresh(c.tag), &confirmed);
      if (!meta_.matches_platform(m)) continue;
      if (!confirmed && req_.confirm_winner) {
        m = meta_.tag_manifest(c.tag, true);
        if (!meta_.matches_platform(m)) continue;
      }
      auto out = selected(c);
      out.digest = m.digest;
      if (strategy().result() == IU_RESULT_FRESH_DIGEST) return finish_winner(c, reason);
      return out;
    }
    *reason = "no tags of " + req_.image + " that match the " + strategy().implementation().name +
              " strategy have a manifest for platforms " + platform_list(platforms_);
    return std::nullopt;
  }

  RepositoryClient& client_;
  const SelectionRequest& req_;
  const ImageSelector::Options& options_;
  bool explicit_platforms_;
  std::vector<model::Platform> platforms_;
  TagMetadata meta_;
  std::set<std::string, std::less<>> fresh_tags_;
  std::vector<Cand> cands_;
};

}  // namespace

ImageSelector::ImageSelector(MetadataStore& store, TagListCache& tag_lists, Options options)
    : store_(store), tag_lists_(tag_lists), options_(std::move(options)) {}

Selection ImageSelector::select(RepositoryClient& client, const SelectionRequest& request) {
  if (request.strategy == nullptr)
    throw std::invalid_argument("select " + request.image + ": no strategy instance given");
  const TagListKey key{client.endpoint(), client.repository(), client.identity()};
  auto tags = tag_lists_.get(key, request.bypass_tag_list_cache, [&] {
    log::debug("listing tags", {{"image_name", request.image}, {"registry", client.endpoint()}});
    return client.list_tags();
  });
  return Check(store_, client, request, options_).run(*tags);
}

}  // namespace iu::registry
