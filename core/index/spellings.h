/// @file spellings.h
/// A spelling dictionary of its own: the words of several databases' dictionaries, for a
/// server over remote shards (xapian-tcpsrv serves no spelling dictionary; see `spelling` in
/// config.yaml and docs/SCALING.md).
#pragma once

#include <string>
#include <vector>

#include "result.h"

namespace clippings {

/// What sync_spellings changed.
struct SpellingSync {
  std::size_t words = 0;    ///< in the dictionary afterwards
  std::size_t changed = 0;  ///< words added, removed or given another count
};

/// Makes the spelling dictionary of the database at `target` (created if absent) hold exactly
/// the words of the dictionaries of `sources`, each with the sum of its counts there, in one
/// commit: a server reading `target` sees the old dictionary or the new one. Running it again
/// after the sources changed updates the words that changed. Error (exit status 2): a source
/// or the target that cannot be opened, named.
Result<SpellingSync> sync_spellings(const std::vector<std::string>& sources, const std::string& target);

}  // namespace clippings
