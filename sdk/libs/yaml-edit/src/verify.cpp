#include "verify.hpp"

namespace iu::yamledit::detail {
namespace {

class Comparer {
 public:
  Comparer(const Tree& a, const Tree& b, const Change& c) : a_(a), b_(b), change_(c) {}

  bool equal(std::uint32_t na, std::uint32_t nb, Path& at) const {
    const Node& x = a_.at(na);
    const Node& y = b_.at(nb);
    if (at == change_.at) return site(x, y, at);
    if (x.kind != y.kind) return false;
    switch (x.kind) {
      case NodeKind::kScalar:
        return x.value == y.value && x.style == y.style && x.tag == y.tag;
      case NodeKind::kAlias:
        return x.value == y.value;
      default:
        return x.tag == y.tag && x.children.size() == y.children.size() &&
               children(x, y, x.children.size(), at);
    }
  }

 private:
  // The edit site: an appended entry or a removed pair; the rest of the collection is compared.
  bool site(const Node& x, const Node& y, Path& at) const {
    switch (change_.kind) {
      case Change::Kind::kReplace:
        return true;
      case Change::Kind::kAppend: {
        std::size_t unit = x.kind == NodeKind::kMapping ? 2 : 1;
        return x.kind == y.kind && y.children.size() == x.children.size() + unit &&
               children(x, y, x.children.size(), at);
      }
      default: {
        if (x.kind != NodeKind::kMapping || y.kind != NodeKind::kMapping ||
            y.children.size() + 2 != x.children.size()) {
          return false;
        }
        for (std::size_t i = 0, j = 0; i < a_.pairs(x); ++i) {
          if (i == change_.pair) continue;
          if (!pair_equal(x, i, y, j++, at)) return false;
        }
        return true;
      }
    }
  }

  // Compares the first `n` children of two collections of the same kind.
  bool children(const Node& x, const Node& y, std::size_t n, Path& at) const {
    if (x.kind == NodeKind::kMapping) {
      for (std::size_t i = 0; i < n / 2; ++i) {
        if (!pair_equal(x, i, y, i, at)) return false;
      }
      return true;
    }
    for (std::size_t i = 0; i < n; ++i) {
      at.segments.emplace_back(i);
      bool same = equal(x.children[i], y.children[i], at);
      at.segments.pop_back();
      if (!same) return false;
    }
    return true;
  }

  bool pair_equal(const Node& x, std::size_t i, const Node& y, std::size_t j, Path& at) const {
    const Node& kx = a_.key(x, i);
    const Node& ky = b_.key(y, j);
    if (kx.kind != ky.kind || kx.value != ky.value || kx.style != ky.style) return false;
    at.segments.emplace_back(kx.value);
    bool same = equal(x.children[2 * i + 1], y.children[2 * j + 1], at);
    at.segments.pop_back();
    return same;
  }

  const Tree& a_;
  const Tree& b_;
  const Change& change_;
};

}  // namespace

bool only_changed(const Source& before, const Source& after, const Change& change) {
  if (before.tree.root == kNoNode) return true;
  if (after.tree.root == kNoNode) return false;
  Path at;
  return Comparer(before.tree, after.tree, change).equal(before.tree.root, after.tree.root, at);
}

}  // namespace iu::yamledit::detail
