// The `strategies` plugin module: its only exported symbol is iu_plugin_entry, listing the four
// bundled strategies. Aliases (`latest`, `name`) are declared on their factories; the host
// resolves them and logs the deprecation warning.
#include "iu/plugin.hpp"

#include "strategies.hpp"

IU_PLUGIN("strategies", "1.0.0", iu::strategies::semver_factory(),
          iu::strategies::newest_build_factory(), iu::strategies::alphabetical_factory(),
          iu::strategies::digest_factory())
