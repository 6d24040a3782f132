/// @file shard_writer.h
/// The last stage of the indexer: writes documents to one Xapian database in batches.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xapian.h>

#include "document.h"
#include "index/bounded_queue.h"
#include "index/near_duplicates.h"

namespace clippings {

/// User metadata to set: key and value, an empty value deleting the key.
using MetadataEntries = std::vector<std::pair<std::string, std::string>>;

/// Documents on their way to one writer: the share of one parse result routed to it, and
/// spelling counts for the writer to add.
struct DocumentBatch {
  std::vector<IndexedDocument> documents;
  SpellingCounts spelling;
};

/// Writes documents to one database, committing every `batch_size` of them.
///
/// kIncremental asks the database whether each id is already there (replaced, keeping the time
/// it was first indexed) or not (added) and replaces by id term. kBulk is for a database that was empty when the run began: it
/// remembers the ids it wrote, with the number of the input item each came from, so only a
/// repeated id costs a lookup, and every other document is a plain add_document, which is what
/// makes bulk loads fast. Several bulk writers fed in parallel settle an id they both wrote
/// with try_drop_older_copies().
///
/// Spelling counts (count_spelling) are summed in memory and added once per distinct word: at
/// each commit in kIncremental, and in kBulk only at the end (or when kSpellingFlushWords words
/// are waiting), because each add_spelling costs about as much as indexing a short document
/// and a bulk load repeats the same words in every batch. A bulk load killed with SIGKILL
/// therefore keeps its committed articles but not yet their spelling suggestions.
///
/// Methods named try_* and run() never throw: they keep the first error (see error()).
class ShardWriter {
 public:
  enum class Mode { kBulk, kIncremental };
  /// Distinct words a bulk writer holds before adding them (about 100 bytes each).
  static constexpr std::size_t kSpellingFlushWords = 500000;

  ShardWriter(Xapian::WritableDatabase db, Mode mode, std::size_t batch_size);

  /// Pops batches until `in` is drained, then finishes (spelling counts and all).
  /// After an error, the queue is closed so that producers stop.
  void run(BoundedQueue<DocumentBatch>& in);
  /// Writes a batch (and counts its spelling); `item` numbers the input it came from.
  bool try_write(DocumentBatch& batch, std::uint64_t item = 0);
  /// Commits, or with `finish_spelling` adds the waiting spelling counts and commits.
  bool try_commit(bool finish_spelling);

  void write(IndexedDocument doc, std::uint64_t item = 0);
  /// Adds word counts to those the next commit (kIncremental) or finish() (kBulk) adds.
  void count_spelling(SpellingCounts counts);
  /// Commits: every document written so far is durable (with its spelling in kIncremental).
  void commit();
  /// Adds the waiting spelling counts and commits.
  void finish();

  /// kBulk: deletes each document that another writer in `others` also wrote from a later
  /// input item, so that the last version wins as it would written in input order; then
  /// commits. Call on every writer after all have finished writing.
  bool try_drop_older_copies(const std::vector<const ShardWriter*>& others);

  /// The spelling counts not yet added, handed over (to share the work between writers).
  SpellingCounts take_spelling() { return std::move(spelling_); }
  /// Adds `counts` to the spelling dictionary and commits.
  bool try_add_spelling(const SpellingCounts& counts);
  /// What the articles written leave to group (near_duplicates.h), with `groups` too (groups
  /// of deleted articles): kBulk the whole database afresh; kIncremental only what the
  /// articles written may have changed.
  CopiesToGroup copies_to_group(const std::vector<std::string>& groups) const;
  /// Groups copies_to_group(groups) in this database, reading its slots as `reading` says,
  /// and commits.
  bool try_group_copies(const std::vector<std::string>& groups, SlotReading reading);
  /// Sets user metadata (an empty value deletes the key) and commits.
  bool try_set_metadata(const MetadataEntries& entries);
  void close() { db_.close(); }
  /// The database written (a handle sharing this writer's).
  Xapian::WritableDatabase database() const { return db_; }

  std::uint64_t added() const { return added_.load(std::memory_order_relaxed); }
  std::uint64_t replaced() const { return replaced_.load(std::memory_order_relaxed); }
  std::uint64_t written() const { return added() + replaced(); }
  /// Whether writing failed (safe to ask from any thread); error() says why, after it stopped.
  bool failed() const { return failed_.load(std::memory_order_acquire); }
  const std::string& error() const { return error_; }

 private:
  /// Runs `step`, keeping the first error instead of throwing it.
  template <class Step>
  bool guarded(Step&& step);

  Xapian::WritableDatabase db_;
  Mode mode_;
  std::size_t batch_size_;
  std::size_t uncommitted_ = 0;
  std::unordered_map<std::string, std::uint64_t> seen_ids_;  ///< kBulk: id term -> input item
  std::vector<std::string> written_ids_;  ///< kIncremental: id terms written, for the copies
  std::vector<std::string> left_groups_;  ///< kIncremental: groups the replaced articles were in
  SpellingCounts spelling_;  ///< words not yet added
  std::atomic<std::uint64_t> added_{0};
  std::atomic<std::uint64_t> replaced_{0};
  std::string error_;
  std::atomic<bool> failed_{false};
};

}  // namespace clippings
