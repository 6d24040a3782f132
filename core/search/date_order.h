/// @file date_order.h
/// A page of a search without words, in date order, read from the facet columns.
///
/// Without words every match weighs nothing, so Xapian's date sort reads and compares the date
/// of every document before it returns the first page: 43 ms at 143,000 articles, growing with
/// the index, for the landing page. The columns hold each document's day as a number in date
/// order, so a count per day and one more pass for the days of the page give the same page.
#pragma once

#include <optional>
#include <vector>

#include <xapian.h>

#include "search/facet_columns.h"
#include "search/facets.h"

namespace clippings::search {

/// The docids of the hits [first, first + size) of the documents passing `filter`, newest or
/// oldest first, undated last, documents of one day in docid order: the order of Xapian's date
/// sorts for weightless matches. `doccount` is the database's (of the columns' revision):
/// nullopt when it shows deleted documents, whose empty cells the columns cannot tell from an
/// article without outlet or date.
std::optional<std::vector<Xapian::docid>> match_all_by_date(const FacetColumns& columns,
                                                            const FacetFilter& filter, bool newest,
                                                            Xapian::doccount first,
                                                            Xapian::doccount size,
                                                            Xapian::doccount doccount);

}  // namespace clippings::search
