// Offers a strategy named like one of test-good's: the second one loaded must be refused.
#include "iu/plugin.hpp"

namespace {
class Dup : public iu::sdk::Strategy {
 public:
  explicit Dup(iu::sdk::Call&) {}
  void rank(iu::sdk::Call&, const iu::sdk::SelectRequest&, iu::sdk::IndexSink& out) override {
    out.put(0);
  }
};
}  // namespace

IU_PLUGIN("test-duplicate", "1.0.0", iu::sdk::strategy_factory<Dup>("test-reverse"),
          iu::sdk::strategy_factory<Dup>("test-unique-name"))
