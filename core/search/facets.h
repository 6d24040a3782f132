/// @file facets.h
/// Exact outlet and date counts over every match, read in one pass by a match spy.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "search/searcher.h"

namespace clippings::search {

/// The request's filters as the counter applies them to each match.
struct FacetFilter {
  std::unordered_set<std::string> outlet_terms;  ///< schema::outlet_term of each; empty: any
  std::string date_from, date_to;                ///< kSlotDate values; both empty: any date
};

/// What a FacetCounter counted.
struct FacetCounts {
  Xapian::doccount total = 0;                                 ///< passing both filters
  std::unordered_map<std::string, Xapian::doccount> outlets;  ///< display name -> documents
  std::unordered_map<std::string, Xapian::doccount> days;     ///< "YYYYMMDD" -> documents
  Xapian::doccount undated = 0;
};

/// A match spy that counts, for every document the matcher visits:
///  - outlets of the documents passing the date filter (the outlet facet ignores its own filter),
///  - days of the documents passing the outlet filter (the date facet ignores its own filter),
///  - documents passing both (the total of the filtered search).
/// So one pass over the unfiltered query gives both multi-select facets and the total.
///
/// Values are read from the value streams in docid order, the order the matcher visits
/// documents in, instead of Document::get_value(), which looks each value up afresh.
class FacetCounter : public Xapian::MatchSpy {
 public:
  FacetCounter(const Xapian::Database& db, FacetFilter filter);
  void operator()(const Xapian::Document& doc, double weight) override;

  FacetCounts counts;

 private:
  /// A value stream read forwards; restarts if asked for an earlier document.
  class Slot {
   public:
    Slot(const Xapian::Database& db, Xapian::valueno slot);
    std::string value(Xapian::docid did);

   private:
    Xapian::Database db_;
    Xapian::valueno slot_;
    Xapian::ValueIterator it_;
    Xapian::docid position_ = 0;
  };

  bool outlet_selected(const std::string& outlet);

  FacetFilter filter_;
  Slot outlet_slot_, date_slot_;
  std::unordered_map<std::string, bool> selected_;  ///< outlet display name -> in the filter
};

/// The outlet facet: the selected outlets first (always, even at 0), then the others by count,
/// then name, up to `size`. Names differing only in case count as one outlet.
std::vector<OutletCount> outlet_facet(const std::unordered_map<std::string, Xapian::doccount>& counts,
                                      const std::vector<std::string>& selected, int size,
                                      const Xapian::Database& db);

/// Every outlet with its count, by count then name (for stats).
std::vector<OutletCount> all_outlets(const Xapian::Database& db);

}  // namespace clippings::search
