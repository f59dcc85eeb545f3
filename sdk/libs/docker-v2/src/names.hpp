// Syntax checks of the names that go into request paths (distribution reference grammar), so
// that nothing a caller passes can change the path or reach another endpoint.
#pragma once

#include <string_view>

namespace iu::dockerv2::detail {

// path-component ("/" path-component)*, each [a-z0-9]+ with single '.', '_', "__" or runs of
// '-' between them; at most 255 characters.
bool valid_repository(std::string_view name);

// [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
bool valid_tag(std::string_view tag);

}  // namespace iu::dockerv2::detail
