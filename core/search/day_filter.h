/// @file day_filter.h
/// The date filter of a search, answered from the facet columns.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

#include <xapian.h>

#include "search/facet_columns.h"

namespace clippings::search {

/// Matches the documents whose day number lies in a range, with no weight: a filter.
///
/// A date filter as a value range makes the matcher read and compare a date value for every
/// candidate, which for a frequent term cost more than the rest of the ranked pass. Here each
/// check is an array read, and the exact number of documents in range guides the matcher.
class DayFilter : public Xapian::PostingSource {
 public:
  /// `columns` must be of the revision searched; `days` as FacetColumns::day_range gives.
  DayFilter(std::shared_ptr<const FacetColumns> columns, std::pair<std::uint32_t, std::uint32_t> days);

  void init(const Xapian::Database& db) override;
  Xapian::doccount get_termfreq_min() const override { return count_; }
  Xapian::doccount get_termfreq_est() const override { return count_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return did_ > columns_->last_docid(); }
  Xapian::docid get_docid() const override { return did_; }
  std::string get_description() const override;

 private:
  bool in_range(Xapian::docid did) const {
    const std::uint32_t day = columns_->cell(did).day;
    return day >= days_.first && day < days_.second;
  }

  std::shared_ptr<const FacetColumns> columns_;
  std::pair<std::uint32_t, std::uint32_t> days_;
  Xapian::doccount count_;
  Xapian::docid did_ = 0;  ///< 0 before the first next()
};

/// `query` restricted to the documents of `days`, as a Xapian::Query owning its filter.
Xapian::Query filter_days(const Xapian::Query& query, std::shared_ptr<const FacetColumns> columns,
                          std::pair<std::uint32_t, std::uint32_t> days);

}  // namespace clippings::search
