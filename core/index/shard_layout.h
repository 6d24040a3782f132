/// @file shard_layout.h
/// An index written into several shards by the indexer: each article goes to the shard that a
/// stable hash of its id picks, so that writing it again replaces it where it is, and each
/// shard records its place (schema::kMetaShard) so that a later run given other shards, or in
/// another order, is refused instead of writing an article twice.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

#include <xapian.h>

#include "result.h"
#include "schema.h"

namespace clippings {

/// Where a database stands among the shards of an index: the index'th (from 0) of count.
/// count 0: a database of its own.
struct ShardPlace {
  std::size_t index = 0;
  std::size_t count = 0;

  bool sharded() const { return count > 1; }
  /// Whether the article with this id belongs here.
  bool holds(std::string_view id) const;
};

using schema::shard_of;

/// Whether `db` (at `path`) may be written as `place`: refused, with both places named, are a
/// shard written as another place, a shard written on its own (count 0), and a database of its
/// own written as a shard (its articles were not placed by their id). An empty database may be
/// written as anything.
Result<bool> check_shard_place(const Xapian::Database& db, const std::filesystem::path& path,
                               const ShardPlace& place);

/// check_shard_place(), then records the place in `db` (committed at once) when it changes.
Result<bool> claim_shard_place(Xapian::WritableDatabase& db, const std::filesystem::path& path,
                               const ShardPlace& place);

}  // namespace clippings
