#include "builtins.hpp"

#include "printer.hpp"

namespace iu::gotemplate::detail {
namespace {

constexpr Signature kSignatures[] = {
    {"and", 1, true, ParamType::kValue, ParamType::kValue},
    {"or", 1, true, ParamType::kValue, ParamType::kValue},
    {"not", 1, false, ParamType::kValue, ParamType::kValue},
    {"len", 1, false, ParamType::kValue, ParamType::kValue},
    {"index", 1, true, ParamType::kValue, ParamType::kValue},
    {"print", 0, true, ParamType::kAny, ParamType::kAny},
    {"printf", 1, true, ParamType::kString, ParamType::kAny},
    {"println", 0, true, ParamType::kAny, ParamType::kAny},
    {"eq", 1, true, ParamType::kValue, ParamType::kValue},
    {"ne", 2, false, ParamType::kValue, ParamType::kValue},
    {"lt", 2, false, ParamType::kValue, ParamType::kValue},
    {"le", 2, false, ParamType::kValue, ParamType::kValue},
    {"gt", 2, false, ParamType::kValue, ParamType::kValue},
    {"ge", 2, false, ParamType::kValue, ParamType::kValue},
};

// The "basic kind" eq and lt compare by; kOther is a list, map or record.
enum class Basic { kNil, kBool, kInt, kString, kOther };

Basic basic_kind(const Val& v) {
  if (v.is_nil()) return Basic::kNil;
  switch (v.value.kind()) {
    case Value::Kind::kBool:
      return Basic::kBool;
    case Value::Kind::kInt:
      return Basic::kInt;
    case Value::Kind::kString:
      return Basic::kString;
    default:
      return Basic::kOther;
  }
}

bool comparable_type(const Value& v) {
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kMap) return false;
  if (v.kind() != Value::Kind::kRecord) return true;
  for (const auto& field : v.as_record()) {
    if (!comparable_type(field.second)) return false;
  }
  return true;
}

// == on two values of comparable types: equal types and equal contents.
bool same(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kBool:
      return a.as_bool() == b.as_bool();
    case Value::Kind::kInt:
      return a.as_int() == b.as_int();
    case Value::Kind::kString:
      return a.as_string() == b.as_string();
    case Value::Kind::kRecord: {
      if (go_type_name(a) != go_type_name(b)) return false;
      const auto& fa = a.as_record();
      const auto& fb = b.as_record();
      for (std::size_t i = 0; i < fa.size(); ++i) {
        if (!same(fa[i].second, fb[i].second)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

bool eq(const std::vector<Val>& args) {
  if (args.size() < 2) throw BuiltinError("missing argument for comparison");
  const Val& a = args[0];
  const Basic k1 = basic_kind(a);
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Val& b = args[i];
    const Basic k2 = basic_kind(b);
    bool truth = false;
    if (k1 != k2) {
      if (k1 != Basic::kNil && k2 != Basic::kNil) {
        throw BuiltinError("incompatible types for comparison");
      }
    } else if (k1 == Basic::kBool) {
      truth = a.value.as_bool() == b.value.as_bool();
    } else if (k1 == Basic::kInt) {
      truth = a.value.as_int() == b.value.as_int();
    } else if (k1 == Basic::kString) {
      truth = a.value.as_string() == b.value.as_string();
    } else if (k1 == Basic::kNil) {
      truth = true;
    } else {
      if (a.value.kind() != b.value.kind()) {
        throw BuiltinError("non-comparable types " + go_type_name(a.value) + " and " +
                           go_type_name(b.value));
      }
      if (!comparable_type(b.value)) {
        throw BuiltinError("non-comparable type " + go_type_name(b.value));
      }
      truth = same(a.value, b.value);
    }
    if (truth) return true;
  }
  return false;
}

bool lt(const Val& a, const Val& b) {
  const Basic k1 = basic_kind(a);
  const Basic k2 = basic_kind(b);
  const auto basic = [](Basic k) {
    return k == Basic::kBool || k == Basic::kInt || k == Basic::kString;
  };
  if (!basic(k1) || !basic(k2)) throw BuiltinError("invalid type for comparison");
  if (k1 != k2) throw BuiltinError("incompatible types for comparison");
  if (k1 == Basic::kBool) throw BuiltinError("invalid type for comparison");
  if (k1 == Basic::kInt) return a.value.as_int() < b.value.as_int();
  return a.value.as_string() < b.value.as_string();
}

bool le(const Val& a, const Val& b) { return lt(a, b) || eq({a, b}); }

std::int64_t length(const Val& v) {
  if (!v.valid) throw BuiltinError("len of untyped nil");
  switch (v.value.kind()) {
    case Value::Kind::kNull:
      throw BuiltinError("len of nil pointer");
    case Value::Kind::kString:
      return static_cast<std::int64_t>(v.value.as_string().size());
    case Value::Kind::kList:
      return static_cast<std::int64_t>(v.value.as_list().size());
    case Value::Kind::kMap:
      return static_cast<std::int64_t>(v.value.as_map().size());
    default:
      throw BuiltinError("len of type " + go_type_name(v.value));
  }
}

// indexArg: a list or string position; `size` itself passes here and fails on access, as in Go.
std::size_t index_arg(const Val& index, std::size_t size) {
  if (index.is_nil()) throw BuiltinError("cannot index slice/array with nil");
  if (index.value.kind() != Value::Kind::kInt) {
    throw BuiltinError("cannot index slice/array with type " + go_type_name(index.value));
  }
  const std::int64_t x = index.value.as_int();
  if (x < 0 || static_cast<std::uint64_t>(x) > size) {
    throw BuiltinError("index out of range: " + std::to_string(x));
  }
  return static_cast<std::size_t>(x);
}

Val index(const std::vector<Val>& args) {
  if (args[0].is_nil()) throw BuiltinError("index of untyped nil");
  Val item = args[0];
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Val& index = args[i];
    if (item.value.is_null()) throw BuiltinError("index of nil pointer");
    const Value& v = item.value;
    switch (v.kind()) {
      case Value::Kind::kList: {
        const std::size_t x = index_arg(index, v.as_list().size());
        if (x == v.as_list().size()) throw BuiltinError("reflect: slice index out of range");
        item = Val{v.as_list()[x]};
        break;
      }
      case Value::Kind::kString: {
        const std::size_t x = index_arg(index, v.as_string().size());
        if (x == v.as_string().size()) throw BuiltinError("reflect: string index out of range");
        item = Val{Value(static_cast<std::int64_t>(static_cast<unsigned char>(v.as_string()[x])))};
        break;
      }
      case Value::Kind::kMap: {
        if (index.is_nil()) throw BuiltinError("value is nil; should be of type string");
        if (index.value.kind() != Value::Kind::kString) {
          throw BuiltinError("value has type " + go_type_name(index.value) + "; should be string");
        }
        const Value* found = v.find(index.value.as_string());
        // A missing key gives the zero value of the element type.
        item = Val{found != nullptr ? *found : v.is_string_map() ? Value("") : Value()};
        break;
      }
      default:
        throw BuiltinError("can't index item of type " + go_type_name(v));
    }
  }
  return item;
}

std::vector<Value> values(const std::vector<Val>& args, std::size_t first) {
  std::vector<Value> out;
  for (std::size_t i = first; i < args.size(); ++i) out.push_back(args[i].value);
  return out;
}

}  // namespace

const Signature& signature_of(Builtin fn) { return kSignatures[static_cast<int>(fn)]; }

bool is_true(const Val& v) {
  if (v.is_nil()) return false;
  switch (v.value.kind()) {
    case Value::Kind::kBool:
      return v.value.as_bool();
    case Value::Kind::kInt:
      return v.value.as_int() != 0;
    case Value::Kind::kString:
      return !v.value.as_string().empty();
    case Value::Kind::kList:
      return !v.value.as_list().empty();
    case Value::Kind::kMap:
      return !v.value.as_map().empty();
    default:
      return true;
  }
}

Val call_builtin(Builtin fn, const std::vector<Val>& args) {
  switch (fn) {
    case Builtin::kNot:
      return Val{Value(!is_true(args[0]))};
    case Builtin::kLen:
      return Val{Value(length(args[0]))};
    case Builtin::kIndex:
      return index(args);
    case Builtin::kPrint:
      return Val{Value(go_sprint(values(args, 0)))};
    case Builtin::kPrintln:
      return Val{Value(go_sprintln(values(args, 0)))};
    case Builtin::kPrintf:
      try {
        return Val{Value(go_sprintf(args[0].value.as_string(), values(args, 1)))};
      } catch (const FormatUnsupported& e) {
        throw BuiltinError(e.what());
      }
    case Builtin::kEq:
      return Val{Value(eq(args))};
    case Builtin::kNe:
      return Val{Value(!eq(args))};
    case Builtin::kLt:
      return Val{Value(lt(args[0], args[1]))};
    case Builtin::kLe:
      return Val{Value(le(args[0], args[1]))};
    case Builtin::kGt:
      return Val{Value(!le(args[0], args[1]))};
    case Builtin::kGe:
      return Val{Value(!lt(args[0], args[1]))};
    case Builtin::kAnd:
    case Builtin::kOr:
      break;
  }
  throw BuiltinError("and/or are evaluated by the executor");
}

}  // namespace iu::gotemplate::detail
