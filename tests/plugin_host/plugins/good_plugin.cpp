// A well-behaved test plugin written with the C++ layer: one implementation of every kind, plus
// a strategy whose methods throw (the layer must turn that into statuses).
#include <stdexcept>

#include "iu/plugin.hpp"

namespace {

using namespace iu::sdk;

// Ranks candidates in reverse input order; "none" as version means no candidate.
class ReverseStrategy : public Strategy {
 public:
  explicit ReverseStrategy(Call&) {}
  void validate(Call&, std::string_view version) override {
    if (version == "bad") throw Error(IU_STATUS_INVALID_ARGUMENT, "version \"bad\" is not allowed");
  }
  void rank(Call& call, const SelectRequest& req, IndexSink& out) override {
    call.debug("ranking " + std::to_string(req.candidates.size()) + " tags");
    if (req.version == "none") return;
    uint64_t n = req.candidates.size();
    uint64_t limit = req.max_results == 0 ? n : std::min(n, req.max_results);
    for (uint64_t i = 0; i < limit; ++i) out.put(n - 1 - i);
  }
};

class ThrowingStrategy : public Strategy {
 public:
  explicit ThrowingStrategy(Call&) {}
  void validate(Call&, std::string_view) override { throw 42; }
  void rank(Call&, const SelectRequest&, IndexSink&) override {
    throw std::runtime_error("boom from rank");
  }
};

// Lists the comma-separated tags of its `tags` config key.
class ListRegistry : public Registry {
 public:
  explicit ListRegistry(Call& call) : tags_(call.config("tags").value_or("")) {}
  void list_tags(Call&, const RepoRequest& req, TagSink& out) override {
    if (req.repository == "missing")
      throw Error(IU_STATUS_NOT_FOUND, "repository missing not found");
    size_t start = 0;
    while (start < tags_.size()) {
      size_t c = tags_.find(',', start);
      if (c == std::string::npos) c = tags_.size();
      out.put(std::string_view(tags_).substr(start, c - start));
      start = c + 1;
    }
  }
  Manifest get_manifest(Call&, const RepoRequest&, std::string_view ref, uint32_t) override {
    Manifest m;
    m.digest = "sha256:" + std::string(64, 'a');
    m.media_type = "application/vnd.oci.image.index.v1+json";
    m.is_index = true;
    m.children.push_back({"sha256:" + std::string(64, 'b'),
                          "application/vnd.oci.image.manifest.v1+json",
                          {"linux", "arm64", std::string(ref == "v8" ? "v8" : "")}});
    return m;
  }
  ImageConfig get_image_config(Call&, const RepoRequest&, std::string_view) override {
    return ImageConfig{"2024-01-02T03:04:05Z", {"linux", "amd64", ""}, {{"org.label", "x"}}};
  }

 private:
  std::string tags_;
};

class ReverseScheduler : public Scheduler {
 public:
  explicit ReverseScheduler(Call&) {}
  void order(Call&, int64_t, const Strided<iu_sched_job>& jobs, IndexSink& out) override {
    for (uint64_t i = jobs.size(); i > 0; --i) out.put(i - 1);
  }
};

class EchoWriteback : public Writeback {
 public:
  explicit EchoWriteback(Call&) {}
  std::string batch_key(Call&, const iu_write_intent& intent) override {
    return std::string(find_kv(intent.settings, intent.setting_count, "repository").value_or(""));
  }
  void write_batch(Call&, std::span<const iu_write_intent* const> intents,
                   WriteResultSink& out) override {
    for (size_t i = 0; i < intents.size(); ++i)
      out.put(i, WriteResult{IU_STATUS_OK, "wrote " + std::string(view(intents[i]->app_name)),
                             intents[i]->change_count});
  }
};

}  // namespace

IU_PLUGIN("test-good", "2.3.4",
          strategy_factory<ReverseStrategy>("test-reverse", {},
                                            {.description = "reverse order",
                                             .aliases = {"test-reverse-alias"}}),
          strategy_factory<ThrowingStrategy>("test-throws"),
          registry_factory<ListRegistry>(
              "test-list", {.description = "lists configured tags",
                            .config_keys = {{IU_CONFIG_STRING, "tags", "", false, "tags to list"},
                                            {IU_CONFIG_DURATION, "timeout", "30s", false, "t"},
                                            {IU_CONFIG_BOOL, "verbose", nullptr, false, "v"},
                                            {IU_CONFIG_INT, "level", nullptr, true, "lvl"}}}),
          scheduler_factory<ReverseScheduler>("test-reverse-sched"),
          writeback_factory<EchoWriteback>("test-echo", {.flags = 0}))
