/// @file day_filter.cpp
#include "search/day_filter.h"

#include <fmt/format.h>

namespace clippings::search {

DayFilter::DayFilter(std::shared_ptr<const FacetColumns> columns,
                     std::pair<std::uint32_t, std::uint32_t> days)
    : columns_(std::move(columns)), days_(days), count_(columns_->documents_in(days)) {}

void DayFilter::init(const Xapian::Database& /*db*/) {
  did_ = 0;
  set_maxweight(0.0);
}

void DayFilter::next(double /*min_wt*/) {
  const Xapian::docid last = columns_->last_docid();
  do {
    ++did_;
  } while (did_ <= last && !in_range(did_));
}

void DayFilter::skip_to(Xapian::docid did, double min_wt) {
  if (did <= did_) return;
  did_ = did - 1;
  next(min_wt);
}

bool DayFilter::check(Xapian::docid did, double /*min_wt*/) {
  // Exact and cheap, so no need to find the next match: say whether this one is.
  did_ = did;
  return in_range(did);
}

std::string DayFilter::get_description() const {
  return fmt::format("DayFilter(days {}..{}, {} documents)", days_.first, days_.second, count_);
}

Xapian::Query filter_days(const Xapian::Query& query, std::shared_ptr<const FacetColumns> columns,
                          std::pair<std::uint32_t, std::uint32_t> days) {
  auto* filter = new DayFilter(std::move(columns), days);
  return Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(filter->release()));
}

}  // namespace clippings::search
