/// @file facets.h
/// Exact outlet and date counts over every match, read in one pass by a match spy.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "search/date_histogram.h"
#include "search/facet_columns.h"
#include "search/timeline.h"
#include "search/searcher.h"

namespace clippings::search {

/// The request's filters as the counter applies them to each match.
struct FacetFilter {
  std::unordered_set<std::string> outlet_terms;  ///< schema::outlet_term of each; empty: any
  std::unordered_set<std::string> langs;         ///< language codes; empty: any
  std::string date_from, date_to;                ///< kSlotDate values; both empty: any date
  bool timeline = false;  ///< also count the dated matches by outlet and day (FacetCounts::timeline)

  bool dated() const { return !date_from.empty() || !date_to.empty(); }
};

/// By outlet number of `columns`: whether the outlet passes the filter's outlets; empty when
/// the filter names none (every outlet passes).
std::vector<char> outlet_mask(const FacetColumns& columns, const FacetFilter& filter);
/// By language number of `columns`: whether the language passes the filter's languages; empty
/// when the filter names none.
std::vector<char> lang_mask(const FacetColumns& columns, const FacetFilter& filter);

/// What a FacetCounter counted.
struct FacetCounts {
  Xapian::doccount total = 0;                                 ///< passing both filters
  Xapian::doccount stories = 0;  ///< of those, one per group of copies (kSlotGroup), and each article in none
  std::unordered_map<std::string, Xapian::doccount> outlets;  ///< display name -> documents
  std::unordered_map<std::string, Xapian::doccount> langs;    ///< language code -> documents
  DayCounts days;                                             ///< dated documents by day
  Xapian::doccount undated = 0;
  /// With FacetFilter::timeline: the dated documents counted in `days`, by outlet and day.
  std::vector<OutletDay> timeline;
};

/// A match spy that counts, for every document the matcher visits:
///  - outlets of the documents passing the date and language filters (the outlet facet
///    ignores its own filter),
///  - days of the documents passing the outlet and language filters,
///  - languages of the documents passing the outlet and date filters,
///  - documents passing all three (the total of the filtered search).
/// So one pass over the unfiltered query gives the three multi-select facets and the total.
/// It counts into arrays by outlet and day number (FacetColumns), so the cost per match does
/// not depend on how long outlet names are or how many days there are.
class FacetCounter : public Xapian::MatchSpy {
 public:
  /// `columns` must be of the revision the matcher reads.
  FacetCounter(std::shared_ptr<const FacetColumns> columns, const FacetFilter& filter);
  void operator()(const Xapian::Document& doc, double weight) override;
  /// Counts matches known by docid alone, without the matcher.
  void count(std::span<const Xapian::docid> docids);
  /// Whether a document passes every filter (is counted in the total).
  bool passes(Xapian::docid did) const;

  /// The counts so far, by name and by day.
  FacetCounts counts() const;
  /// By group number of the columns: whether a story of that group of copies was counted.
  const std::vector<char>& groups_counted() const { return group_counted_; }

 private:
  std::shared_ptr<const FacetColumns> columns_;
  std::vector<char> outlet_selected_;  ///< by outlet number; empty: no outlet filter
  std::vector<char> lang_selected_;    ///< by language number; empty: no language filter
  std::uint32_t first_day_ = 0, end_day_ = 0;  ///< day numbers passing the date filter
  bool date_filtered_ = false;
  std::vector<Xapian::doccount> outlet_counts_;  ///< by outlet number
  std::vector<Xapian::doccount> lang_counts_;    ///< by language number
  std::vector<Xapian::doccount> day_counts_;     ///< by day number; [0] is undated
  Xapian::doccount total_ = 0;
  bool timeline_ = false;
  std::unordered_map<std::uint64_t, Xapian::doccount> outlet_days_;  ///< day number << 24 | outlet number
  std::vector<char> group_counted_;  ///< by group number: a match of the group was counted
  Xapian::doccount stories_ = 0;

  void count(Xapian::docid did);
};

/// A FacetCounter for each database counted with its own columns (each shard, or the one
/// database), and their counts added up.
class ShardCounters {
 public:
  ShardCounters(std::span<const std::shared_ptr<const FacetColumns>> columns, const FacetFilter& filter);
  std::size_t size() const { return counters_.size(); }
  FacetCounter& operator[](std::size_t shard) const { return *counters_[shard]; }
  /// The counts added up, a group counted in two shards as one story (`spanning` made for the
  /// same shards, in the same order).
  FacetCounts sum(const SpanningGroups& spanning) const;

 private:
  std::vector<std::unique_ptr<FacetCounter>> counters_;  ///< match spies: neither copied nor moved
};

/// What FacetCounters count over the matches of `query` in `shards`, whose columns
/// `shard_columns` holds, in order: from the list of every match (search::for_each_match).
/// For remote shards: a shard sends the list in one message, where Xapian's spies would pass
/// over every match once per facet and filter.
FacetCounts count_listed(std::span<const Xapian::Database> shards, const Xapian::Query& query,
                         std::span<const std::shared_ptr<const FacetColumns>> shard_columns,
                         const SpanningGroups& spanning, const FacetFilter& filter);

/// What the outlet facet lists, besides the counts.
struct OutletFacetQuery {
  std::vector<std::string> selected;  ///< listed first, always, even at 0
  int size = 20;                      ///< others listed at most
  std::string prefix;                 ///< facet_query: others need a word starting with it
};

/// The outlets listed and how many there are to list.
struct OutletFacet {
  std::vector<OutletCount> outlets;
  std::size_t total = 0;  ///< what `outlets` would hold without the size bound
};

/// The outlet facet: the selected outlets first, then the others by count, then name, up to
/// `query.size`. With a prefix, the others are those whose name has, for each word of the
/// prefix, a word starting with it (see match_words). Names differing only in case count as
/// one outlet.
OutletFacet outlet_facet(const std::unordered_map<std::string, Xapian::doccount>& counts,
                         const OutletFacetQuery& query, const Xapian::Database& db);

/// The words of `text` as a person typing them would match them: case folded, accents and
/// other marks removed, Latin letters made ASCII ("Ø" -> "o", "ß" -> "ss"). Anything but a
/// letter, mark or digit separates words.
std::vector<std::string> match_words(std::string_view text);

/// True when each of `prefixes` starts some word of `words` (both from match_words).
bool words_start_with(const std::vector<std::string>& words, const std::vector<std::string>& prefixes);

/// The language facet: the selected languages first (always, even at 0), then the others by
/// count, then code. `selected` are language codes.
std::vector<LanguageCount> lang_facet(const std::unordered_map<std::string, Xapian::doccount>& counts,
                                      const std::vector<std::string>& selected);

/// Every language with its count, by count then code (for stats).
std::vector<LanguageCount> all_langs(const Xapian::Database& db);

/// Every outlet with its count, by count then name (for stats); `remote` when `db` has remote
/// shards.
std::vector<OutletCount> all_outlets(const Xapian::Database& db, bool remote);
/// The same from the columns of each database searched (the shards, or the one database): an
/// array pass over them instead of over the database's values (a counting pass when remote).
std::vector<OutletCount> all_outlets(std::span<const std::shared_ptr<const FacetColumns>> parts);

}  // namespace clippings::search
