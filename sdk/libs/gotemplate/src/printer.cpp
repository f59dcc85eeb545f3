#include "printer.hpp"

#include "unicode.hpp"

namespace iu::gotemplate::detail {

std::string go_type_name(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return "interface {}";
    case Value::Kind::kBool:
      return "bool";
    case Value::Kind::kInt:
      return "int";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kList:
      return "[]interface {}";
    case Value::Kind::kMap:
      return v.is_string_map() ? "map[string]string" : "map[string]interface {}";
    case Value::Kind::kRecord:
      break;
  }
  const Value::Fields& fields = v.as_record();
  if (fields.empty()) return "struct {}";
  std::string name = "struct {";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    name += " " + fields[i].first + " " + go_type_name(fields[i].second);
    if (i + 1 < fields.size()) name += ';';
  }
  return name + " }";
}

void Printer::print_arg(const Value& arg, char32_t verb) {
  if (arg.is_null()) {
    if (verb == 'T' || verb == 'v') {
      pad("<nil>");
    } else {
      bad_verb(verb, nullptr);
    }
    return;
  }
  if (verb == 'T') {
    fmt_s(go_type_name(arg));
    return;
  }
  if (verb == 'p') {
    if (arg.kind() == Value::Kind::kList || arg.kind() == Value::Kind::kMap) {
      throw FormatUnsupported("%p of " + go_type_name(arg) + " would print a memory address");
    }
    bad_verb(verb, &arg);
    return;
  }
  print_value(arg, verb, 0);
}

void Printer::print_value(const Value& v, char32_t verb, int depth) {
  switch (v.kind()) {
    case Value::Kind::kNull:  // an interface{} holding nil, inside a list, map or record
      write(flags.sharp_v ? "interface {}(nil)" : "<nil>");
      return;
    case Value::Kind::kBool:
      print_bool(v, verb);
      return;
    case Value::Kind::kInt:
      print_int(v, verb);
      return;
    case Value::Kind::kString:
      print_string(v, verb);
      return;
    case Value::Kind::kMap: {
      if (flags.sharp_v) {
        write(go_type_name(v));
        write("{");
      } else {
        write("map[");
      }
      bool first = true;
      for (const auto& [key, value] : v.as_map()) {
        if (!first) write(flags.sharp_v ? ", " : " ");
        first = false;
        print_value(Value(key), verb, depth + 1);
        write(":");
        print_value(value, verb, depth + 1);
      }
      write(flags.sharp_v ? "}" : "]");
      return;
    }
    case Value::Kind::kRecord: {
      if (flags.sharp_v) write(go_type_name(v));
      write("{");
      const Value::Fields& fields = v.as_record();
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) write(flags.sharp_v ? ", " : " ");
        if (flags.plus_v || flags.sharp_v) {
          write(fields[i].first);
          write(":");
        }
        print_value(fields[i].second, verb, depth + 1);
      }
      write("}");
      return;
    }
    case Value::Kind::kList: {
      const Value::List& items = v.as_list();
      write(flags.sharp_v ? go_type_name(v) + "{" : "[");
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) write(flags.sharp_v ? ", " : " ");
        print_value(items[i], verb, depth + 1);
      }
      write(flags.sharp_v ? "}" : "]");
      return;
    }
  }
}

void Printer::print_bool(const Value& v, char32_t verb) {
  if (verb == 't' || verb == 'v') {
    fmt_boolean(v.as_bool());
  } else {
    bad_verb(verb, &v);
  }
}

void Printer::print_int(const Value& v, char32_t verb) {
  const auto u = static_cast<std::uint64_t>(v.as_int());
  switch (verb) {
    case 'v':
    case 'd':
      fmt_integer(u, 10, true, verb, false);
      return;
    case 'b':
      fmt_integer(u, 2, true, verb, false);
      return;
    case 'o':
    case 'O':
      fmt_integer(u, 8, true, verb, false);
      return;
    case 'x':
      fmt_integer(u, 16, true, verb, false);
      return;
    case 'X':
      fmt_integer(u, 16, true, verb, true);
      return;
    case 'c':
      fmt_c(u);
      return;
    case 'q':
      fmt_qc(u);
      return;
    case 'U':
      fmt_unicode(u);
      return;
    default:
      bad_verb(verb, &v);
      return;
  }
}

void Printer::print_string(const Value& v, char32_t verb) {
  const std::string& s = v.as_string();
  switch (verb) {
    case 'v':
      if (flags.sharp_v) {
        fmt_q(s);
      } else {
        fmt_s(s);
      }
      return;
    case 's':
      fmt_s(s);
      return;
    case 'x':
      fmt_sx(s, false);
      return;
    case 'X':
      fmt_sx(s, true);
      return;
    case 'q':
      fmt_q(s);
      return;
    default:
      bad_verb(verb, &v);
      return;
  }
}

// "%!d(string=hello)": the verb does not apply to the value. Keeps the current flags, as Go does.
void Printer::bad_verb(char32_t verb, const Value* v) {
  write("%!");
  write_rune(verb);
  write("(");
  if (v == nullptr) {
    write("<nil>");
  } else {
    write(go_type_name(*v));
    write("=");
    print_arg(*v, 'v');
  }
  write(")");
}

void Printer::write_rune(char32_t r) { append_rune(buf_, r); }

}  // namespace iu::gotemplate::detail
