// The data a template renders: the part of Go's type system that commit-message and
// branch-name templates see (SPEC.md §9.4, §9.7), built by the caller.
//
//   Go                      Value
//   nil (interface{})       null
//   bool / int / string     boolean / integer / string
//   []interface{}           list
//   map[string]interface{}  map()          `index` of a missing key gives null
//   map[string]string       string_map()   `index` of a missing key gives ""
//   struct                  record()       fields in declaration order; `.Missing` is an error
//
// Maps and records differ where Go's do: `.Key` of a map with no such key renders
// `<no value>`, while `.Field` of a record without that field is an execution error. Maps
// iterate and print in byte order of their keys, as Go's fmt and range do.
//
// Values are immutable; copies share their strings, lists, maps and records, so passing them
// around is cheap. Safe to read from several threads at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace iu::gotemplate {

class Value {
 public:
  enum class Kind { kNull, kBool, kInt, kString, kList, kMap, kRecord };

  using List = std::vector<Value>;
  using Map = std::map<std::string, Value, std::less<>>;
  using Field = std::pair<std::string, Value>;
  using Fields = std::vector<Field>;

  Value() noexcept = default;  // null
  Value(std::nullptr_t) noexcept {}
  Value(bool b) noexcept : data_(b) {}
  Value(int i) noexcept : data_(static_cast<std::int64_t>(i)) {}
  Value(std::int64_t i) noexcept : data_(i) {}
  Value(std::string s) : data_(std::make_shared<const std::string>(std::move(s))) {}
  Value(std::string_view s) : Value(std::string(s)) {}
  Value(const char* s) : Value(std::string(s)) {}

  static Value list(List items);
  // A Go map[string]interface{}.
  static Value map(Map entries);
  // A Go map[string]string.
  static Value string_map(const std::map<std::string, std::string>& entries);
  // A Go struct. Field names should be unique; the first of duplicates wins on lookup.
  static Value record(Fields fields);

  Kind kind() const noexcept { return static_cast<Kind>(data_.index()); }
  bool is_null() const noexcept { return kind() == Kind::kNull; }

  // Accessors: the caller checks kind() first (a wrong kind throws std::bad_variant_access).
  bool as_bool() const { return std::get<bool>(data_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(data_); }
  const std::string& as_string() const {
    return *std::get<std::shared_ptr<const std::string>>(data_);
  }
  const List& as_list() const { return *std::get<std::shared_ptr<const List>>(data_); }
  const Map& as_map() const { return std::get<std::shared_ptr<const MapData>>(data_)->entries; }
  const Fields& as_record() const { return *std::get<std::shared_ptr<const Fields>>(data_); }

  // For maps: true for a string_map() (Go map[string]string).
  bool is_string_map() const;
  // The record field or map entry named `name`, or nullptr when absent or not a record/map.
  const Value* find(std::string_view name) const;

 private:
  struct MapData {
    Map entries;
    bool string_valued = false;
  };
  // Strings are shared too: copies stay cheap, and GCC 12 does not misfire -Wmaybe-uninitialized
  // on a variant holding a std::string by value.
  using Data = std::variant<std::monostate, bool, std::int64_t, std::shared_ptr<const std::string>,
                            std::shared_ptr<const List>, std::shared_ptr<const MapData>,
                            std::shared_ptr<const Fields>>;

  explicit Value(Data d) : data_(std::move(d)) {}

  Data data_;
};

}  // namespace iu::gotemplate
