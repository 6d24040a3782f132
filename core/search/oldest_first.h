/// @file oldest_first.h
/// Oldest first, undated last, where Xapian takes no KeyMaker: a remote shard (xapian-tcpsrv)
/// sorts by a value only, and an ascending sort puts the undated (no value) first.
#pragma once

#include <vector>

#include <xapian.h>

#include "search/searcher.h"

namespace clippings::search {

/// A page of matches read in one or more match passes, with the totals of all the matches.
struct Pages {
  std::vector<Xapian::MSet> msets;  ///< the page's hits, in order
  Xapian::doccount total = 0;       ///< matches; stories (one per collapse key) when collapsing
  Xapian::doccount total_articles = 0;  ///< matches, each copy counted
  bool exact = true;  ///< the totals are counts, not estimates
};

/// How an Enquire orders and cuts its matches, as far as its getters do not tell.
struct PageOrder {
  SortOrder sort = SortOrder::kRelevance;
  bool collapsed = false;  ///< its collapse key is set (schema::kSlotGroup)
  double min_weight = 0;   ///< its weight cutoff
};

/// Hits [first, first + size) of `enquire` (its query, weighting, collapse key and cutoff, as
/// `order` says) in the order UndatedLastKey gives: by date, oldest first, ties by relevance,
/// the undated matches last. Two match passes, the dated matches and then the undated ones, and
/// counting passes for exact totals. A story with dated and undated copies is listed once,
/// among the dated, as collapsing one pass would. `db` is the one `enquire` reads.
Pages oldest_first(Xapian::Enquire& enquire, const Xapian::Database& db, const PageOrder& order,
                   Xapian::doccount first, Xapian::doccount size);

}  // namespace clippings::search
