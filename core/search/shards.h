/// @file shards.h
/// Several databases searched as one (shards). Xapian joins them into one database that ranks
/// with statistics over all of them and interleaves their docids. Two things of the joined
/// database are not the whole's: its metadata is the first shard's, and a match spy or posting
/// source sees each shard's own docids. So facets are counted in each shard with that shard's
/// columns and added up, and metadata is looked up shard by shard.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <xapian.h>

#include "config.h"
#include "result.h"

namespace clippings::search {

/// The databases `config` names for searching: `shards`, else the ones a Xapian stub database
/// file at `database` lists, else `database` itself. Each is a local path or the HOST:PORT of
/// an xapian-tcpsrv (remote_address in config.h). A stub lists one database a line, as "auto
/// PATH" (or "glass PATH"), relative to the stub's folder, or "remote HOST:PORT"; blank lines and "#"
/// comments are skipped. Error: a stub that cannot be read, or a line of another kind (a
/// remote program, "remote :PROGRAM"), named by file and line.
Result<std::vector<std::string>> shard_paths(const Config& config);

/// What tells the stub file in the database directory `path` from the one it replaced (a
/// replica's XAPIANDB, which xapian-replicate swaps in to point at a new full copy); empty when
/// the directory holds none. A handle opened through a stub keeps reading the copy it opened:
/// when this changes, the database is to be opened again.
std::string stub_identity(const std::string& path);

/// Where a docid of a database joined from `shards` databases is: the shard's position and
/// its own docid there (Xapian gives shard i's document d the docid (d - 1) * shards + i + 1).
struct ShardDocid {
  std::size_t shard = 0;
  Xapian::docid did = 0;
};
inline ShardDocid locate(Xapian::docid did, std::size_t shards) {
  return {(did - 1) % shards, static_cast<Xapian::docid>((did - 1) / shards + 1)};
}

/// Calls `each(where, weight)` for every match of `query` in `db`, joined from `shards`
/// databases in order, `where` naming the shard and its own docid: from one MSet of them all,
/// which a remote shard sends in one message, where no match spy of ours can run. Without
/// `weighted` every weight is 0 (BoolWeight: no statistics to compute).
void for_each_match(const Xapian::Database& db, const Xapian::Query& query, std::size_t shards, bool weighted,
                    const std::function<void(ShardDocid, double)>& each);

/// The first of `shards` whose metadata has `key`, with its value; {nullptr, ""} when none has.
struct ShardMetadata {
  const Xapian::Database* shard = nullptr;
  std::string value;
};
ShardMetadata find_metadata(std::span<const Xapian::Database> shards, const std::string& key);

}  // namespace clippings::search
