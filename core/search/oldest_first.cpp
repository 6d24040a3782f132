/// @file oldest_first.cpp
#include "search/oldest_first.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "schema.h"
#include "search/value_counts.h"

namespace clippings::search {
namespace {

using Xapian::Query;

/// The matches of a query: how many, how many stories, and the groups of copies among them.
struct Counted {
  Xapian::doccount articles = 0;
  Xapian::doccount stories = 0;  ///< one per group, and each article in none
  std::unordered_set<std::string> groups;
};

Counted count(const CountingPass& pass, const Query& query) {
  Counted counted;
  const auto by_group = value_counts(pass, query, schema::kSlotGroup, &counted.articles);
  for (const auto& [group, count] : by_group) counted.groups.insert(group);
  counted.stories = story_count(counted.articles, by_group);
  return counted;
}

}  // namespace

Pages oldest_first(Xapian::Enquire& enquire, const Xapian::Database& db, const PageOrder& order,
                   Xapian::doccount first, Xapian::doccount size) {
  const CountingPass pass{db, order.min_weight};
  const bool collapse = order.collapsed;
  const Query query = enquire.get_query();
  const Query dated(Query::OP_FILTER, query, has_date());
  Query undated(Query::OP_AND_NOT, query, has_date());
  const Counted early = count(pass, dated);
  Counted late = count(pass, undated);
  Pages pages;
  pages.total_articles = early.articles + late.articles;
  if (collapse) {
    // A story with dated copies is listed among the dated: its undated copies are left out.
    std::vector<Query> listed;
    for (const auto& group : late.groups) {
      if (early.groups.count(group) != 0) listed.emplace_back(Query::OP_VALUE_RANGE, schema::kSlotGroup, group, group);
    }
    if (!listed.empty()) {
      undated = Query(Query::OP_AND_NOT, undated, Query(Query::OP_OR, listed.begin(), listed.end()));
      late = count(pass, undated);
    }
  }
  const Xapian::doccount dated_total = collapse ? early.stories : early.articles;
  pages.total = dated_total + (collapse ? late.stories : late.articles);

  // Ascending, a document without a date would come first: each pass holds one kind.
  enquire.set_sort_by_value_then_relevance(schema::kSlotDate, false);
  const Xapian::doccount end = std::min(first + size, pages.total);
  if (first < dated_total) {
    enquire.set_query(dated);
    pages.msets.push_back(enquire.get_mset(first, std::min(end, dated_total) - first));
  }
  if (end > dated_total) {
    const Xapian::doccount from = std::max(first, dated_total);
    enquire.set_query(undated);
    pages.msets.push_back(enquire.get_mset(from - dated_total, end - from));
  }
  enquire.set_query(query);
  return pages;
}

}  // namespace clippings::search
