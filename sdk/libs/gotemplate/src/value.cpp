#include "iu/gotemplate/value.hpp"

namespace iu::gotemplate {

Value Value::list(List items) {
  return Value(Data(std::make_shared<const List>(std::move(items))));
}

Value Value::map(Map entries) {
  return Value(Data(std::make_shared<const MapData>(MapData{std::move(entries), false})));
}

Value Value::string_map(const std::map<std::string, std::string>& entries) {
  MapData data;
  data.string_valued = true;
  for (const auto& [key, value] : entries) data.entries.emplace(key, Value(value));
  return Value(Data(std::make_shared<const MapData>(std::move(data))));
}

Value Value::record(Fields fields) {
  return Value(Data(std::make_shared<const Fields>(std::move(fields))));
}

bool Value::is_string_map() const {
  return kind() == Kind::kMap && std::get<std::shared_ptr<const MapData>>(data_)->string_valued;
}

const Value* Value::find(std::string_view name) const {
  if (kind() == Kind::kMap) {
    const Map& entries = as_map();
    auto it = entries.find(name);
    return it == entries.end() ? nullptr : &it->second;
  }
  if (kind() == Kind::kRecord) {
    for (const Field& field : as_record()) {
      if (field.first == name) return &field.second;
    }
  }
  return nullptr;
}

}  // namespace iu::gotemplate
