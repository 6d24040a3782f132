/// @file near_duplicates.h
/// Groups of copies in the database: articles whose texts are copies of each other
/// (text::are_copies), joined transitively, share a group (schema::kSlotGroup, and the list of
/// its articles under schema::group_metadata_key), named after the smallest id term value among them. Two articles are
/// compared when they share a MinHash band key (text::band_key); the groups are the connected
/// parts of the graph of copies, so they depend only on the articles in the database, not on
/// the order they came in: a bulk load, an update and a re-run agree.
///
/// Band keys are not stored: both passes read the signatures (schema::kSlotSignature, 244
/// bytes an article) in one stream and match bands in memory. Stored as terms, the 40 keys
/// of an article were 40 posting lists of one entry each, a third of the index and a quarter
/// of the indexing time (docs/BENCHMARKS.md, "Copies").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <xapian.h>

namespace clippings {

/// Groups every article of `db` afresh, in memory (a bulk load). Returns how many articles'
/// groups changed; does not commit.
std::uint64_t group_all_copies(Xapian::WritableDatabase& db);

/// Groups again the articles that may have changed group: those with the id terms `ids` (just
/// written), the members of `groups` (the groups of articles replaced or deleted), and every
/// article that is a copy of one of them, with its group. Returns how many articles' groups
/// changed; does not commit.
std::uint64_t regroup_copies(Xapian::WritableDatabase& db, const std::vector<std::string>& ids,
                             const std::vector<std::string>& groups);

}  // namespace clippings
