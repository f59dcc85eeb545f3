// The bundled update strategies (SPEC.md §6.4–6.7), as the factories the `strategies` plugin
// exports. plugin.cpp lists exactly these; tests drive the same vtables through them.
//
// Each accessor builds its factory once (thread-safe) and returns the same pointer on every
// call; the factory, its vtable and its aliases live until the process exits. Every factory is
// IU_FACTORY_CONCURRENT: the instances keep no mutable state.
#pragma once

#include "iu/plugin.h"

namespace iu::strategies {

// `semver`: highest semantic version satisfying the constraint in imageName (§6.4).
// needs 0, result TAG, platforms LAZY.
const iu_factory* semver_factory();

// `newest-build` (alias `latest`): most recent build time, ties by tag name (§6.5).
// needs IU_NEEDS_CREATED, result TAG, platforms STRICT.
const iu_factory* newest_build_factory();

// `alphabetical` (alias `name`): last tag in byte-wise order (§6.6).
// needs 0, result TAG, platforms LAZY.
const iu_factory* alphabetical_factory();

// `digest`: the tag named in imageName, written with its freshly resolved digest (§6.7).
// needs 0, result FRESH_DIGEST, platforms WINNER.
const iu_factory* digest_factory();

}  // namespace iu::strategies
