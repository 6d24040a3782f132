/// @file date_order.cpp
#include "search/date_order.h"

#include <cstdint>

namespace clippings::search {

std::optional<std::vector<Xapian::docid>> match_all_by_date(const FacetColumns& columns,
                                                            const FacetFilter& filter, bool newest,
                                                            Xapian::doccount first,
                                                            Xapian::doccount size,
                                                            Xapian::doccount doccount) {
  const Xapian::docid last = columns.last_docid();
  if (doccount != last) return std::nullopt;
  const std::vector<char> outlets = outlet_mask(columns, filter);
  const std::vector<char> langs = lang_mask(columns, filter);
  const auto days = static_cast<std::uint32_t>(columns.day_values().size());
  // A pair, not a structured binding: clang before 16 cannot capture those in a lambda.
  const std::pair<std::uint32_t, std::uint32_t> day_range =
      filter.dated() ? columns.day_range(filter.date_from, filter.date_to)
                     : std::pair<std::uint32_t, std::uint32_t>{0, days};
  const std::uint32_t first_day = day_range.first, end_day = day_range.second;
  const auto passes = [&](const FacetColumns::Cell& cell) {
    return (outlets.empty() || outlets[cell.outlet]) && (langs.empty() || langs[cell.lang]) &&
           cell.day >= first_day && cell.day < end_day;
  };
  // Where a day comes in the order asked for: dated days one way, then the undated (day 0).
  const auto rank = [&](std::uint32_t day) {
    if (day == 0) return days - 1;
    return newest ? days - 1 - day : day - 1;
  };

  std::vector<Xapian::doccount> per_rank(days);
  for (Xapian::docid did = 1; did <= last; ++did) {
    if (const auto& cell = columns.cell(did); passes(cell)) ++per_rank[rank(cell.day)];
  }
  // The ranks the page falls in: [low, high], with `skip` documents of `low` before it.
  std::uint32_t low = 0;
  Xapian::doccount skip = first;
  while (low < days && per_rank[low] <= skip) skip -= per_rank[low++];
  if (low == days || size == 0) return std::vector<Xapian::docid>{};
  std::uint32_t high = low;
  for (Xapian::doccount through = per_rank[low] - skip; through < size && high + 1 < days;) {
    through += per_rank[++high];
  }

  // Ascending docids land in their rank's list in docid order, each list kept to what the
  // page can use.
  std::vector<std::vector<Xapian::docid>> by_rank(high - low + 1);
  for (Xapian::docid did = 1; did <= last; ++did) {
    const auto& cell = columns.cell(did);
    if (!passes(cell)) continue;
    const std::uint32_t r = rank(cell.day);
    if (r < low || r > high) continue;
    auto& ids = by_rank[r - low];
    if (ids.size() < (r == low ? skip : 0) + size) ids.push_back(did);
  }
  std::vector<Xapian::docid> page;
  page.reserve(size);
  for (std::size_t i = 0; i < by_rank.size() && page.size() < size; ++i) {
    const std::size_t from = i == 0 ? skip : 0;
    for (std::size_t j = from; j < by_rank[i].size() && page.size() < size; ++j) page.push_back(by_rank[i][j]);
  }
  return page;
}

}  // namespace clippings::search
