/// @file near_duplicates.h
/// Groups of copies in the database: articles whose texts are copies of each other
/// (text::are_copies), joined transitively, share a group (schema::kSlotGroup and
/// schema::group_term), named after the smallest id term value among them. Two articles are
/// linked when they share a band key (schema::kPrefixBand) and their signatures agree; the
/// groups are the connected parts of that graph, so they depend only on the articles in the
/// database, not on the order they came in: a bulk load, an update and a re-run agree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <xapian.h>

namespace clippings {

/// Groups every article of `db` afresh, in memory (a bulk load: one pass over the signatures,
/// no query per article). Returns how many articles' groups changed; does not commit.
std::uint64_t group_all_copies(Xapian::WritableDatabase& db);

/// Groups again the articles that may have changed group: those with the id terms `ids` (just
/// written), the members of `groups` (the groups of articles replaced or deleted), and every
/// article linked to them, found by band-key queries. Returns how many articles' groups
/// changed; does not commit.
std::uint64_t regroup_copies(Xapian::WritableDatabase& db, const std::vector<std::string>& ids,
                             const std::vector<std::string>& groups);

}  // namespace clippings
