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
#include <span>
#include <string>
#include <vector>

#include <xapian.h>

#include "slot_values.h"

namespace clippings {

/// What a run that wrote into a database leaves to group: every article afresh (after a bulk
/// load), or the articles it wrote and the groups that lost an article.
struct CopiesToGroup {
  bool all = false;
  std::vector<std::string> ids;     ///< id terms written
  std::vector<std::string> groups;  ///< groups that articles were replaced or deleted from

  /// Adds what another run into a shard of the same index leaves.
  void add(const CopiesToGroup& other);
};

// Each takes the databases whose articles are grouped together: one, or every shard of an
// index written into shards (index/shard_layout.h), so that copies placed in different shards
// are one group. The articles are read through the shards joined, numbered as Xapian numbers
// a database of several shards; the lists of groups are written into the first.

// Each reads every article's signature (and group) as `reading` says: kSortedPages when one
// of the shards is remote (slot_values.h). When an article's group changes, each sets every
// shard's change mark (schema::kMetaChange); none commits.

/// Groups what `work` names, by the cheaper of the two ways below. Returns how many
/// articles' groups changed; does not commit.
std::uint64_t group_copies(std::span<Xapian::WritableDatabase> shards, const CopiesToGroup& work,
                           SlotReading reading);

/// Groups every article afresh, in memory (a bulk load). Returns how many articles' groups
/// changed; does not commit.
std::uint64_t group_all_copies(std::span<Xapian::WritableDatabase> shards,
                               SlotReading reading);

/// Groups again the articles that may have changed group: those with the id terms `ids` (just
/// written), the members of `groups` (the groups of articles replaced or deleted), and every
/// article that is a copy of one of them, with its group. Returns how many articles' groups
/// changed; does not commit.
std::uint64_t regroup_copies(std::span<Xapian::WritableDatabase> shards, const std::vector<std::string>& ids,
                             const std::vector<std::string>& groups, SlotReading reading);

}  // namespace clippings
