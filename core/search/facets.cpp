/// @file facets.cpp
#include "search/facets.h"

#include <algorithm>

#include "schema.h"

namespace clippings::search {
namespace {

/// Outlet names that differ only in case share one filter term, so they are one outlet; it is
/// shown under its most frequent spelling.
struct OutletGroup {
  std::string display;
  Xapian::doccount display_count = 0;
  Xapian::doccount count = 0;
};

std::unordered_map<std::string, OutletGroup> group_outlets(
    const std::unordered_map<std::string, Xapian::doccount>& counts) {
  std::unordered_map<std::string, OutletGroup> groups;
  for (const auto& [name, count] : counts) {
    if (name.empty() || count == 0) continue;
    OutletGroup& group = groups[schema::outlet_term(name)];
    group.count += count;
    if (count > group.display_count || (count == group.display_count && name < group.display)) {
      group.display = name;
      group.display_count = count;
    }
  }
  return groups;
}

bool by_count_then_name(const OutletCount& a, const OutletCount& b) {
  return a.count != b.count ? a.count > b.count : a.value < b.value;
}

/// How the index spells an outlet the request named, for a selected outlet with no matches.
std::string stored_name(const Xapian::Database& db, const std::string& term,
                        const std::string& requested) {
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    std::string value = db.get_document(*it).get_value(schema::kSlotOutlet);
    if (!value.empty()) return value;
  }
  return requested;
}

}  // namespace

FacetCounter::Slot::Slot(const Xapian::Database& db, Xapian::valueno slot)
    : db_(db), slot_(slot), it_(db.valuestream_begin(slot)) {}

std::string FacetCounter::Slot::value(Xapian::docid did) {
  if (did < position_) it_ = db_.valuestream_begin(slot_);
  position_ = did;
  const Xapian::ValueIterator end;
  if (it_ == end) return {};
  if (it_.get_docid() < did) it_.skip_to(did);
  if (it_ == end || it_.get_docid() != did) return {};
  return *it_;
}

FacetCounter::FacetCounter(const Xapian::Database& db, FacetFilter filter)
    : filter_(std::move(filter)),
      outlet_slot_(db, schema::kSlotOutlet),
      date_slot_(db, schema::kSlotDate) {}

bool FacetCounter::outlet_selected(const std::string& outlet) {
  auto found = selected_.find(outlet);
  if (found == selected_.end()) {
    const bool selected = filter_.outlet_terms.count(schema::outlet_term(outlet)) != 0;
    found = selected_.emplace(outlet, selected).first;
  }
  return found->second;
}

void FacetCounter::operator()(const Xapian::Document& doc, double /*weight*/) {
  const Xapian::docid did = doc.get_docid();
  std::string outlet = outlet_slot_.value(did);
  std::string date = date_slot_.value(did);

  const bool date_passes = (filter_.date_from.empty() && filter_.date_to.empty()) ||
                           (!date.empty() && (filter_.date_from.empty() || date >= filter_.date_from) &&
                            (filter_.date_to.empty() || date <= filter_.date_to));
  const bool outlet_passes = filter_.outlet_terms.empty() || outlet_selected(outlet);
  if (date_passes) ++counts.outlets[std::move(outlet)];
  if (outlet_passes) {
    if (date.empty()) {
      ++counts.undated;
    } else {
      ++counts.days[std::move(date)];
    }
  }
  if (date_passes && outlet_passes) ++counts.total;
}

std::vector<OutletCount> outlet_facet(const std::unordered_map<std::string, Xapian::doccount>& counts,
                                      const std::vector<std::string>& selected, int size,
                                      const Xapian::Database& db) {
  auto groups = group_outlets(counts);
  std::vector<OutletCount> chosen;
  std::unordered_set<std::string> chosen_terms;
  for (const auto& name : selected) {
    std::string term = schema::outlet_term(name);
    if (!chosen_terms.insert(term).second) continue;
    auto group = groups.find(term);
    if (group != groups.end()) {
      chosen.push_back({group->second.display, group->second.count, true});
    } else {
      chosen.push_back({stored_name(db, term, name), 0, true});
    }
  }
  std::sort(chosen.begin(), chosen.end(), by_count_then_name);

  std::vector<OutletCount> others;
  for (const auto& [term, group] : groups) {
    if (chosen_terms.count(term) == 0) others.push_back({group.display, group.count, false});
  }
  const std::size_t keep = std::min(others.size(), static_cast<std::size_t>(std::max(size, 0)));
  std::partial_sort(others.begin(), others.begin() + static_cast<std::ptrdiff_t>(keep), others.end(),
                    by_count_then_name);
  others.resize(keep);
  chosen.insert(chosen.end(), others.begin(), others.end());
  return chosen;
}

std::vector<OutletCount> all_outlets(const Xapian::Database& db) {
  std::unordered_map<std::string, Xapian::doccount> counts;
  for (auto it = db.valuestream_begin(schema::kSlotOutlet); it != db.valuestream_end(schema::kSlotOutlet);
       ++it) {
    ++counts[*it];
  }
  std::vector<OutletCount> outlets;
  for (const auto& [term, group] : group_outlets(counts)) {
    outlets.push_back({group.display, group.count, false});
  }
  std::sort(outlets.begin(), outlets.end(), by_count_then_name);
  return outlets;
}

}  // namespace clippings::search
