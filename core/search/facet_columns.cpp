/// @file facet_columns.cpp
#include "search/facet_columns.h"

#include <algorithm>
#include <unordered_map>

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include "schema.h"
#include "search/date_histogram.h"
#include "search/shards.h"

namespace clippings::search {

std::string revision_of(const Xapian::Database& db, bool remote) {
  if (!remote) return db.get_uuid() + ":" + std::to_string(db.get_revision());
  return fmt::format("{}:{}:{}:{}:{}", db.get_uuid(), db.get_doccount(), db.get_lastdocid(), db.get_total_length(),
                     db.get_metadata(std::string{schema::kMetaChange}));
}

FacetColumns::FacetColumns(const Xapian::Database& db) : FacetColumns(db, revision_of(db), SlotReading::kStream) {}

FacetColumns::FacetColumns(const Xapian::Database& db, std::string revision, SlotReading reading)
    : revision_(std::move(revision)), cells_(static_cast<std::size_t>(db.get_lastdocid()) + 1) {
  read_outlets(db, reading);
  read_langs(db, reading);
  read_days(db, reading);
  read_groups(db, reading);
}

void FacetColumns::read_groups(const Xapian::Database& db, SlotReading reading) {
  std::unordered_map<std::string, std::uint32_t> numbers;
  for_each_value(db, schema::kSlotGroup, reading, [&](Xapian::docid did, const std::string& group) {
    if (groups_.empty()) groups_.resize(cells_.size());
    auto [entry, added] = numbers.try_emplace(group, static_cast<std::uint32_t>(group_names_.size()));
    if (added) group_names_.push_back(group);
    if (did < groups_.size()) groups_[did] = entry->second;
  });
}

template <typename Set>
std::vector<std::string> FacetColumns::number_values(const Xapian::Database& db, Xapian::valueno slot,
                                                     SlotReading reading, Set set) {
  std::vector<std::string> values{""};
  std::unordered_map<std::string, std::uint32_t> numbers{{"", 0}};
  for_each_value(db, slot, reading, [&](Xapian::docid did, const std::string& value) {
    auto [entry, added] = numbers.try_emplace(value, static_cast<std::uint32_t>(values.size()));
    if (added) values.push_back(entry->first);
    if (did < cells_.size()) set(cells_[did], entry->second);
  });
  return values;
}

void FacetColumns::read_outlets(const Xapian::Database& db, SlotReading reading) {
  outlets_ = number_values(db, schema::kSlotOutlet, reading, [](Cell& cell, std::uint32_t n) {
    cell.outlet = n <= kMaxOutlets ? n : 0;
  });
}

void FacetColumns::read_langs(const Xapian::Database& db, SlotReading reading) {
  langs_.assign(1, "");
  const std::string prefix{schema::kPrefixLang};
  std::vector<std::string> terms{db.allterms_begin(prefix), db.allterms_end(prefix)};
  if (terms.size() > kMaxLanguages) terms.resize(kMaxLanguages);
  for (const std::string& term : terms) {
    const auto number = static_cast<std::uint32_t>(langs_.size());
    langs_.push_back(term.substr(prefix.size()));
    const auto set = [&](Xapian::docid did) {
      if (did < cells_.size()) cells_[did].lang = number;
    };
    if (reading == SlotReading::kStream) {
      for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) set(*it);
    } else {
      // Through xapian-tcpsrv a posting list comes in small pieces (5.3 s for 500,000
      // documents), a search's matches in one message (0.15 s).
      for_each_match({&db, 1}, Xapian::Query{term}, false, [&](ShardDocid where, double) { set(where.did); });
    }
  }
}

void FacetColumns::read_days(const Xapian::Database& db, SlotReading reading) {
  // Numbered as they come, then renumbered in date order.
  std::vector<std::string> values =
      number_values(db, schema::kSlotDate, reading, [](Cell& cell, std::uint32_t n) { cell.day = n; });
  std::vector<std::uint32_t> order(values.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
  std::vector<std::uint32_t> renumbered(values.size());
  day_values_.reserve(values.size());
  day_numbers_.reserve(values.size());
  for (std::uint32_t sorted = 0; sorted < order.size(); ++sorted) {
    renumbered[order[sorted]] = sorted;
    day_values_.push_back(std::move(values[order[sorted]]));
    day_numbers_.push_back(sorted == 0 ? std::nullopt : day_from_date_value(day_values_.back()));
  }
  documents_before_.assign(day_values_.size() + 1, 0);
  for (Cell& cell : cells_) {
    cell.day = renumbered[cell.day];
    ++documents_before_[cell.day + 1];
  }
  for (std::size_t day = 1; day < documents_before_.size(); ++day) {
    documents_before_[day] += documents_before_[day - 1];
  }
}

std::pair<std::uint32_t, std::uint32_t> FacetColumns::day_range(const std::string& from,
                                                                const std::string& to) const {
  // Number 0 is "undated", which no range holds.
  const auto dated = day_values_.begin() + 1;
  const auto first = from.empty() ? dated : std::lower_bound(dated, day_values_.end(), from);
  const auto last = to.empty() ? day_values_.end() : std::upper_bound(dated, day_values_.end(), to);
  return {static_cast<std::uint32_t>(first - day_values_.begin()),
          static_cast<std::uint32_t>(std::max(first, last) - day_values_.begin())};
}

SpanningGroups::SpanningGroups(std::span<const std::shared_ptr<const FacetColumns>> shard_columns)
    : numbers_(shard_columns.size()) {
  struct FirstSeen {
    std::size_t shard;
    std::uint32_t group;
  };
  absl::flat_hash_map<std::string_view, FirstSeen> first_seen;  // views into the columns
  for (std::size_t shard = 0; shard < shard_columns.size(); ++shard) {
    const FacetColumns& columns = *shard_columns[shard];
    numbers_[shard].assign(columns.group_count() + 1, 0);
    for (std::uint32_t group = 1; group <= columns.group_count(); ++group) {
      const auto [first, added] = first_seen.try_emplace(columns.group_name(group), FirstSeen{shard, group});
      if (added) continue;
      std::uint32_t& spanning = numbers_[first->second.shard][first->second.group];
      if (spanning == 0) spanning = ++count_;
      numbers_[shard][group] = spanning;
    }
  }
}

const std::shared_ptr<const SpanningGroups>& SpanningGroups::none() {
  static const auto none = std::make_shared<const SpanningGroups>();
  return none;
}

std::shared_ptr<const FacetColumns> FacetColumnsCache::find(const std::string& revision) const {
  for (const auto& columns : recent_) {
    if (columns->revision() == revision) return columns;
  }
  return nullptr;
}

std::shared_ptr<const FacetColumns> FacetColumnsCache::get(const Xapian::Database& db) {
  const std::string revision = revision_of(db);
  {
    std::unique_lock lock{mutex_};
    for (;;) {
      if (auto columns = find(revision)) return columns;
      if (!reading_.count(revision)) break;
      read_done_.wait(lock);
    }
    reading_.insert(revision);
  }
  return read(db, revision, SlotReading::kStream);
}

std::shared_ptr<const FacetColumns> FacetColumnsCache::get_unless_busy(const Xapian::Database& db) {
  return get_unless_busy(db, revision_of(db), SlotReading::kStream);
}

std::shared_ptr<const FacetColumns> FacetColumnsCache::get_unless_busy(const Xapian::Database& db,
                                                                       const std::string& revision,
                                                                       SlotReading reading) {
  {
    std::lock_guard lock{mutex_};
    if (auto columns = find(revision)) return columns;
    if (!reading_.insert(revision).second) return nullptr;
  }
  return read(db, revision, reading);
}

std::shared_ptr<const FacetColumns> FacetColumnsCache::read(const Xapian::Database& db, const std::string& revision,
                                                            SlotReading reading) {
  std::shared_ptr<const FacetColumns> columns;
  try {
    if (on_read_) on_read_(db);
    columns = std::make_shared<const FacetColumns>(db, revision, reading);
  } catch (...) {
    {
      std::lock_guard lock{mutex_};
      reading_.erase(revision);
    }
    read_done_.notify_all();
    throw;
  }
  {
    std::lock_guard lock{mutex_};
    reading_.erase(revision);
    recent_.insert(recent_.begin(), columns);
    if (recent_.size() > kept_) recent_.pop_back();
  }
  read_done_.notify_all();
  return columns;
}

std::shared_ptr<const SpanningGroups> FacetColumnsCache::spanning(
    std::span<const std::shared_ptr<const FacetColumns>> shard_columns) {
  {
    std::lock_guard lock{mutex_};
    if (spanning_ && std::equal(shard_columns.begin(), shard_columns.end(), spanning_columns_.begin(),
                                spanning_columns_.end())) {
      return spanning_;
    }
  }
  // Made outside the lock: two Searchers at a new revision may each make it, where waiting
  // would hold up every search's look-up of columns.
  auto made = std::make_shared<const SpanningGroups>(shard_columns);
  std::lock_guard lock{mutex_};
  spanning_columns_.assign(shard_columns.begin(), shard_columns.end());
  spanning_ = made;
  return made;
}

}  // namespace clippings::search
