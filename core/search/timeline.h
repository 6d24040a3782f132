/// @file timeline.h
/// The coverage timeline: the date facet's buckets split by the query's top outlets, so a
/// reader sees who covered a story when, and who was first.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xapian.h>

#include "search/date_histogram.h"

namespace clippings {

namespace search {

/// How many outlets the timeline names; the rest are "other".
inline constexpr std::size_t kTimelineOutlets = 6;

/// Dated articles counted by outlet and day (days since 1970-01-01).
struct OutletDay {
  std::string outlet;  ///< "" for articles without one
  int day = 0;
  Xapian::doccount count = 0;
};

/// Splits each bucket of `histogram` (made from the same articles) by the top
/// kTimelineOutlets outlets of `counts`; the rest, and articles without an outlet, are "other".
TimelineFacet timeline(const std::vector<OutletDay>& counts, const DateFacet& histogram);

}  // namespace search
}  // namespace clippings
