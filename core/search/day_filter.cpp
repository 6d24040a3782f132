/// @file day_filter.cpp
#include "search/day_filter.h"

#include <fmt/format.h>

namespace clippings::search {

DayFilter::DayFilter(std::shared_ptr<const std::vector<DayFilterPart>> parts, std::string from, std::string to)
    : parts_(std::move(parts)), from_(std::move(from)), to_(std::move(to)) {}

DayFilter* DayFilter::clone() const { return new DayFilter(parts_, from_, to_); }

void DayFilter::init(const Xapian::Database& db) {
  columns_ = columns_of(db);
  days_ = columns_->day_range(from_, to_);
  count_ = columns_->documents_in(days_);
  did_ = 0;
  set_maxweight(0.0);
}

std::shared_ptr<const FacetColumns> DayFilter::columns_of(const Xapian::Database& db) const {
  if (parts_->size() == 1) return parts_->front().columns;
  const std::string uuid = db.get_uuid();
  for (const DayFilterPart& part : *parts_) {
    if (part.uuid == uuid) return part.columns;
  }
  throw Xapian::InvalidArgumentError("DayFilter: no columns for the shard with uuid " + uuid);
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

Xapian::Query filter_days(const Xapian::Query& query, std::vector<DayFilterPart> parts, std::string from,
                          std::string to) {
  auto* filter = new DayFilter(std::make_shared<const std::vector<DayFilterPart>>(std::move(parts)),
                               std::move(from), std::move(to));
  return Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(filter->release()));
}

}  // namespace clippings::search
