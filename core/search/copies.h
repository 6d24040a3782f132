/// @file copies.h
/// The copies of an article: the other articles of its group of copies (schema::kSlotGroup),
/// in the order they were published.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <xapian.h>

#include "search/shards.h"

namespace clippings {

/// One article of a group of copies.
struct CopyRef {
  std::string id, outlet, date, url, title;
  /// The estimated share of the asking article's text that this one has too (0..1); absent
  /// in a search hit's list, which does not estimate it.
  std::optional<double> shared;
};

/// A group of copies: every article of it is counted, the asking one included.
struct Copies {
  std::string group;  ///< kSlotGroup's value: the smallest id of the group
  Xapian::doccount count = 0;
  std::optional<CopyRef> first;  ///< the earliest dated article; absent when none is dated
  std::vector<CopyRef> items;    ///< earliest first (undated last), up to the limit asked for
};

/// How many of its copies a search hit lists.
inline constexpr std::size_t kHitCopies = 10;

namespace search {

// Each takes the databases searched: one, or the shards (search/shards.h). A group's list is
// in one shard (the first, when the indexer wrote the shards), its articles in any: over
// `remote` shards they are looked up in every shard at once (search::each_shard).

/// Whether any article has a copy: only then does a search collapse.
bool has_copies(std::span<const Xapian::Database> shards);

/// How many articles group `group` holds; 1 for "" (no group).
Xapian::doccount copy_count(std::span<const Xapian::Database> shards, const std::string& group);

/// Each of `groups` (kSlotGroup values), with up to `limit` of its articles in `items`; an
/// empty Copies for "". Their articles are looked up together: one search a shard for them all.
/// With `seconds`, the groups' lists and the articles' documents are read over both
/// connections to each shard (search::share_out).
std::vector<Copies> copies_of(std::span<const Xapian::Database> shards, bool remote,
                              std::span<const std::string> groups, std::size_t limit,
                              const SecondConnections& seconds = {});

/// Every article of the group of `did` (a docid of the shards joined) but itself, with the
/// share of its text each has; a group of it alone (count 1, no items) when it has no copy.
Copies copies_of_article(std::span<const Xapian::Database> shards, bool remote, Xapian::docid did,
                         const SecondConnections& seconds = {});

}  // namespace search
}  // namespace clippings
