/// @file shards.h
/// Several databases searched as one (shards). Xapian joins them into one database that ranks
/// with statistics over all of them and interleaves their docids. Two things of the joined
/// database are not the whole's: its metadata is the first shard's, and a match spy or posting
/// source sees each shard's own docids. So facets are counted in each shard with that shard's
/// columns and added up, and metadata is looked up shard by shard.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
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
/// The docid in the joined database of what is `at` (locate() turned back).
inline Xapian::docid joined_docid(ShardDocid at, std::size_t shards) {
  return static_cast<Xapian::docid>((at.did - 1) * shards + at.shard + 1);
}

/// Runs `work(i)` for each i below `count` at once, a thread each (run_on_worker) but the
/// first (run by the caller), and returns when every one is done, rethrowing the first
/// exception. Over remote shards each request waits for its answer: asked one shard after
/// another, the waits add up; asked at once, the slowest shard's is paid. `work(i)` may use
/// shard i's handle and what is its own only: a Xapian object is not thread-safe, not even its
/// reference counts (a query shared by two threads is copied for each first).
void at_once(std::size_t count, const std::function<void(std::size_t)>& work);

/// at_once() over remote shards; over local ones one after another: a local shard answers in
/// microseconds, less than a thread takes to start.
void each_shard(std::size_t count, bool remote, const std::function<void(std::size_t)>& work);

/// Calls `each(where, weight)` for every match of `query` in `shards`, shard by shard, each in
/// docid order, `where` naming the shard and its own docid: from one MSet a shard, which a
/// remote shard sends in one message, where no match spy of ours can run. The shards search at
/// once, and each list is read on its own: merged into one MSet by Xapian, the lists cost the
/// front end a sort of every match (65 ms against 11 ms a shard for a word in nearly every one
/// of 142,913 articles). Without `weighted` every weight is 0 (BoolWeight: no statistics to compute).
/// `query` is copied for each shard through its serialised form, so it is made of Xapian's own
/// parts only (as any query a remote shard runs).
void for_each_match(std::span<const Xapian::Database> shards, const Xapian::Query& query, bool weighted,
                    const std::function<void(ShardDocid, double)>& each);

/// That connections busy with other work have come free: set once by that work, waited for by
/// those that would share them until it is set or their waiting has become moot.
class FreeSignal {
 public:
  /// Marks the connections free and wakes every waiter.
  void set();
  /// Wakes every waiter to look again at whether its wait is moot.
  void nudge();
  /// Waits until set() (true) or `moot()` (false), which is asked at first and on each nudge().
  bool wait(const std::function<bool()>& moot);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool set_ = false;
};

/// The same shards through connections of their own, to share reading with (a connection to a
/// remote shard answers one request at a time): none when `shards` is empty. They may be busy
/// with other work until `free` (when given) is set.
struct SecondConnections {
  std::span<const Xapian::Database> shards;
  FreeSignal* free = nullptr;
};

/// Calls `ask(connection, shard, item)` for every item of `items[shard]` of every shard, on a
/// connection to that shard: its own in `shards`, or its second (where `seconds` has them and
/// the shard has more than one item), whichever is free first taking the next item; over
/// `remote` shards every connection works at once (each_shard). A second connection joins once
/// its `free` is set, unless its shard's items are all taken by then.
void share_out(std::span<const Xapian::Database> shards, const SecondConnections& seconds, bool remote,
               const std::vector<std::vector<std::size_t>>& items,
               const std::function<void(const Xapian::Database&, std::size_t, std::size_t)>& ask);

/// The documents at `dids`, docids of the database joined from `shards`, in that order; over
/// `remote` shards each shard's are read at once (each_shard): a remote shard sends a document
/// a round trip. With `seconds`, each shard's documents are shared between its two connections
/// (share_out).
std::vector<Xapian::Document> documents_at(std::span<const Xapian::Database> shards, bool remote,
                                           std::span<const Xapian::docid> dids,
                                           const SecondConnections& seconds = {});

/// For each of `terms`, in order, whether any shard of `db` has it (1) or none (0). Asked as one
/// query of them all, which every remote shard answers at once in two round trips, however many
/// terms: asked one by one, a remote shard answers a term a round trip.
std::vector<char> terms_in_any(const Xapian::Database& db, std::span<const std::string> terms);

/// The first of `shards` whose metadata has `key`, with its value; {nullptr, ""} when none has.
struct ShardMetadata {
  const Xapian::Database* shard = nullptr;
  std::string value;
};
ShardMetadata find_metadata(std::span<const Xapian::Database> shards, const std::string& key);

}  // namespace clippings::search
