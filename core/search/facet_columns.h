/// @file facet_columns.h
/// Every document's outlet and day as small numbers, read once per database revision, and the
/// groups of copies that span shards numbered across them.
///
/// Exact facets visit every match: at a million articles a frequent term has hundreds of
/// thousands. Reading two values per match and counting them in string-keyed maps cost more
/// than finding the matches. With the columns, counting a match is an array read and two
/// increments, and the counts stay exact.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <xapian.h>

#include "slot_values.h"

namespace clippings::search {

/// What names the revision of `db` as it is open: its uuid and revision. A `remote` database
/// (xapian-tcpsrv) tells no revision: its uuid, document count, last docid, total length and
/// the indexer's change mark (schema::kMetaChange, a round trip to read) stand in for it.
std::string revision_of(const Xapian::Database& db, bool remote = false);

class FacetColumns {
 public:
  /// A document's outlet, language and day numbers; 0 in any means none (no outlet, no
  /// language, undated). The language shares the outlet's word: a cell stays 8 bytes, which is
  /// what counting a match reads.
  struct Cell {
    std::uint32_t outlet : 24 = 0;
    std::uint32_t lang : 8 = 0;
    std::uint32_t day = 0;
  };
  /// Numbers beyond these are counted as none.
  static constexpr std::uint32_t kMaxOutlets = (1u << 24) - 1;
  static constexpr std::uint32_t kMaxLanguages = (1u << 8) - 1;

  /// Reads the outlet, date and group slots of a local database `db` at its current revision
  /// (their value streams).
  explicit FacetColumns(const Xapian::Database& db);
  /// Reads them as `reading` says (kSortedPages for a remote database) at the revision of `db`
  /// that `revision` names (revision_of, above).
  FacetColumns(const Xapian::Database& db, std::string revision, SlotReading reading);

  /// The cell of `did`; an empty one for a docid past the revision read.
  const Cell& cell(Xapian::docid did) const {
    return did < cells_.size() ? cells_[did] : cells_.front();
  }
  /// Outlet display names by number; [0] is "".
  const std::vector<std::string>& outlets() const { return outlets_; }
  /// Language codes by number; [0] is "".
  const std::vector<std::string>& langs() const { return langs_; }
  /// Distinct kSlotDate values ("YYYYMMDD") by number, ascending, so numbers sort as dates
  /// do; [0] is "".
  const std::vector<std::string>& day_values() const { return day_values_; }
  /// Days since 1970-01-01 by day number; nullopt for a value that is not a real date.
  const std::vector<std::optional<int>>& day_numbers() const { return day_numbers_; }
  /// Day numbers [first, last) whose values lie within [from, to]; an empty bound is open.
  std::pair<std::uint32_t, std::uint32_t> day_range(const std::string& from,
                                                    const std::string& to) const;
  /// How many documents have a day number in [first, last).
  Xapian::doccount documents_in(std::pair<std::uint32_t, std::uint32_t> days) const {
    return documents_before_[days.second] - documents_before_[days.first];
  }
  /// The number of `did`'s group of copies (kSlotGroup), 0 for none; kept apart from the cells,
  /// which counting reads for every match, as only a collapsed search's story count needs it.
  std::uint32_t group(Xapian::docid did) const { return did < groups_.size() ? groups_[did] : 0; }
  /// How many groups of copies there are; group numbers run from 1 to this.
  std::uint32_t group_count() const { return static_cast<std::uint32_t>(group_names_.size() - 1); }
  /// The kSlotGroup value of group number `group`.
  const std::string& group_name(std::uint32_t group) const { return group_names_[group]; }
  /// The highest docid read; cell() of any higher one is empty.
  Xapian::docid last_docid() const { return static_cast<Xapian::docid>(cells_.size() - 1); }

  /// What names the revision read (search::revision_of).
  const std::string& revision() const { return revision_; }

 private:
  /// Numbers the distinct values of `slot` as they come (0: no value), hands each document's
  /// cell and its value's number to `set`, and returns the values by number.
  template <typename Set>
  std::vector<std::string> number_values(const Xapian::Database& db, Xapian::valueno slot, SlotReading reading,
                                         Set set);
  void read_outlets(const Xapian::Database& db, SlotReading reading);
  /// From the language terms' matches: a handful of terms, no value slot needed.
  void read_langs(const Xapian::Database& db, SlotReading reading);
  void read_days(const Xapian::Database& db, SlotReading reading);
  void read_groups(const Xapian::Database& db, SlotReading reading);

  std::string revision_;
  std::vector<Cell> cells_;  ///< by docid; [0] stays empty
  std::vector<std::string> outlets_;
  std::vector<std::string> langs_;
  std::vector<std::string> day_values_;
  std::vector<std::optional<int>> day_numbers_;
  std::vector<Xapian::doccount> documents_before_;  ///< by day number, one past the last too
  std::vector<std::uint32_t> groups_;  ///< by docid; empty when no article has a copy
  std::vector<std::string> group_names_{""};  ///< by group number
};

/// The groups of copies that have articles in more than one of a set of shards, numbered
/// across them: the indexer puts each copy in the shard its id picks, so a group counted in two
/// shards is one story. Made once for the columns of the shards' revisions, so that adding up
/// a search's counts reads group numbers, not names (hashing every group's name for every
/// search took a third of a frequent word's search at 1,000,000 articles).
class SpanningGroups {
 public:
  SpanningGroups() = default;
  /// For the shards whose columns `shard_columns` holds, in order.
  explicit SpanningGroups(std::span<const std::shared_ptr<const FacetColumns>> shard_columns);
  /// The number across the shards of group `group` of shard `shard`; 0 when no other shard has
  /// articles of that group.
  std::uint32_t of(std::size_t shard, std::uint32_t group) const {
    return shard < numbers_.size() && group < numbers_[shard].size() ? numbers_[shard][group] : 0;
  }
  /// How many groups span shards: their numbers run from 1 to this.
  std::uint32_t count() const { return count_; }
  /// None: for one database.
  static const std::shared_ptr<const SpanningGroups>& none();

 private:
  std::vector<std::vector<std::uint32_t>> numbers_;  ///< by shard, by its group number
  std::uint32_t count_ = 0;
};

/// The columns of the newest revisions searched, shared by the Searchers of one server so a
/// commit is read once, not once per worker. Thread-safe.
///
/// Reading a revision's columns takes a while on a large database (every document's two
/// values). Searches do not wait for it: the first Searcher to see a new revision reads its
/// columns (that search pays), while the others keep searching the revision they have, columns
/// and database handle together, and move to the new one once its columns are there.
class FacetColumnsCache {
 public:
  /// For `databases` databases searched together (shards): each keeps its newest revisions.
  explicit FacetColumnsCache(std::size_t databases = 1) : kept_(kKept * std::max<std::size_t>(databases, 1)) {}

  /// The columns of a local `db`'s current revision: known already, read now by this caller,
  /// or, when another caller is reading them, waited for. For a Searcher with no earlier
  /// revision to search meanwhile.
  std::shared_ptr<const FacetColumns> get(const Xapian::Database& db);
  /// Without waiting: the columns of a local `db`'s revision when known, else read now by this
  /// caller when nobody else is reading them; nullptr when another caller is.
  std::shared_ptr<const FacetColumns> get_unless_busy(const Xapian::Database& db);
  /// get_unless_busy() for any database: its revision as `revision` names it, its slots read
  /// as `reading` says.
  std::shared_ptr<const FacetColumns> get_unless_busy(const Xapian::Database& db, const std::string& revision,
                                                      SlotReading reading);

  /// The SpanningGroups of the shards whose columns `shard_columns` holds, in order: made once
  /// for each set of revisions and shared, where each Searcher made its own after every commit
  /// (tens of milliseconds at 1,000,000 articles).
  std::shared_ptr<const SpanningGroups> spanning(std::span<const std::shared_ptr<const FacetColumns>> shard_columns);

  /// Called (for tests) by the caller that reads a revision, just before it reads.
  void on_read(std::function<void(const Xapian::Database&)> hook) { on_read_ = std::move(hook); }

 private:
  std::shared_ptr<const FacetColumns> find(const std::string& revision) const;
  /// Reads the revision `revision` names, which the caller has claimed.
  std::shared_ptr<const FacetColumns> read(const Xapian::Database& db, const std::string& revision,
                                           SlotReading reading);

  /// Readers may briefly be on the revision before the newest: keep both.
  static constexpr std::size_t kKept = 2;
  std::size_t kept_;  ///< kKept for each database
  mutable std::mutex mutex_;
  std::condition_variable read_done_;
  std::vector<std::shared_ptr<const FacetColumns>> recent_;  ///< newest first
  std::set<std::string> reading_;  ///< the revisions whose columns are being read
  std::vector<std::shared_ptr<const FacetColumns>> spanning_columns_;  ///< what spanning_ was made for
  std::shared_ptr<const SpanningGroups> spanning_;
  std::function<void(const Xapian::Database&)> on_read_;
};

}  // namespace clippings::search
