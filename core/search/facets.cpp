/// @file facets.cpp
#include "search/facets.h"

#include <algorithm>
#include <iterator>
#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "ascii.h"
#include "schema.h"
#include "search/shards.h"
#include "search/value_counts.h"
#include "text/languages.h"

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

/// Each outlet of `counts` (by stored name) with its articles, by count then name.
std::vector<OutletCount> outlets_by_count(const std::unordered_map<std::string, Xapian::doccount>& counts) {
  std::vector<OutletCount> outlets;
  for (const auto& [term, group] : group_outlets(counts)) outlets.push_back({group.display, group.count, false});
  std::sort(outlets.begin(), outlets.end(), by_count_then_name);
  return outlets;
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

/// NFD, marks removed, Latin to ASCII. ICU's transliterators may not be shared between
/// threads: one per thread, made on first use.
const icu::Transliterator& accent_folding() {
  thread_local const std::unique_ptr<icu::Transliterator> folding = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> made{icu::Transliterator::createInstance(
        "NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII", UTRANS_FORWARD, status)};
    if (U_FAILURE(status) || !made) {
      throw std::runtime_error(std::string{"ICU has no accent-folding transliterator: "} +
                               u_errorName(status));
    }
    return made;
  }();
  return *folding;
}

/// match_words of an outlet name, kept per thread: ICU's folding costs tens of microseconds a
/// name, and a facet_query reads every outlet of the matches. Bounded in case names churn.
const std::vector<std::string>& outlet_words(const std::string& name) {
  constexpr std::size_t kMaxNames = 100000;
  thread_local std::unordered_map<std::string, std::vector<std::string>> words;
  auto it = words.find(name);
  if (it == words.end()) {
    if (words.size() >= kMaxNames) words.clear();
    it = words.emplace(name, match_words(name)).first;
  }
  return it->second;
}

}  // namespace

std::vector<char> outlet_mask(const FacetColumns& columns, const FacetFilter& filter) {
  std::vector<char> mask;
  if (filter.outlet_terms.empty()) return mask;
  mask.reserve(columns.outlets().size());
  for (const auto& outlet : columns.outlets()) {
    mask.push_back(filter.outlet_terms.count(schema::outlet_term(outlet)) != 0);
  }
  return mask;
}

std::vector<char> lang_mask(const FacetColumns& columns, const FacetFilter& filter) {
  std::vector<char> mask;
  if (filter.langs.empty()) return mask;
  mask.reserve(columns.langs().size());
  for (const auto& lang : columns.langs()) mask.push_back(filter.langs.count(lang) != 0);
  return mask;
}

FacetCounter::FacetCounter(std::shared_ptr<const FacetColumns> columns, const FacetFilter& filter)
    : columns_(std::move(columns)),
      outlet_selected_(outlet_mask(*columns_, filter)),
      lang_selected_(lang_mask(*columns_, filter)),
      outlet_counts_(columns_->outlets().size()),
      lang_counts_(columns_->langs().size()),
      day_counts_(columns_->day_values().size()),
      group_counted_(columns_->group_count() + 1) {
  date_filtered_ = filter.dated();
  timeline_ = filter.timeline;
  std::tie(first_day_, end_day_) = columns_->day_range(filter.date_from, filter.date_to);
}

void FacetCounter::operator()(const Xapian::Document& doc, double /*weight*/) {
  count(doc.get_docid());
}

void FacetCounter::count(Xapian::docid did) {
  const FacetColumns::Cell& cell = columns_->cell(did);
  const bool date_passes = !date_filtered_ || (cell.day >= first_day_ && cell.day < end_day_);
  const bool outlet_passes = outlet_selected_.empty() || outlet_selected_[cell.outlet];
  const bool lang_passes = lang_selected_.empty() || lang_selected_[cell.lang];
  if (date_passes && lang_passes) ++outlet_counts_[cell.outlet];
  if (outlet_passes && lang_passes) {
    ++day_counts_[cell.day];
    // A hash map only when asked for: outlets times days would be too large an array.
    if (timeline_ && cell.day != 0) ++outlet_days_[(std::uint64_t{cell.day} << 24) | cell.outlet];
  }
  if (date_passes && outlet_passes) ++lang_counts_[cell.lang];
  if (date_passes && outlet_passes && lang_passes) {
    ++total_;
    const std::uint32_t group = columns_->group(did);
    if (group == 0 || !group_counted_[group]) ++stories_;
    group_counted_[group] = 1;
  }
}

bool FacetCounter::passes(Xapian::docid did) const {
  const FacetColumns::Cell& cell = columns_->cell(did);
  return (!date_filtered_ || (cell.day >= first_day_ && cell.day < end_day_)) &&
         (outlet_selected_.empty() || outlet_selected_[cell.outlet]) &&
         (lang_selected_.empty() || lang_selected_[cell.lang]);
}

void FacetCounter::count(std::span<const Xapian::docid> docids) {
  for (const Xapian::docid did : docids) count(did);
}

FacetCounts FacetCounter::counts() const {
  FacetCounts counts;
  counts.total = total_;
  counts.stories = stories_;
  const auto& outlets = columns_->outlets();
  for (std::size_t i = 1; i < outlet_counts_.size(); ++i) {
    if (outlet_counts_[i] != 0) counts.outlets.emplace(outlets[i], outlet_counts_[i]);
  }
  const auto& langs = columns_->langs();
  for (std::size_t i = 1; i < lang_counts_.size(); ++i) {
    if (lang_counts_[i] != 0) counts.langs.emplace(langs[i], lang_counts_[i]);
  }
  counts.undated = day_counts_[0];
  const auto& days = columns_->day_numbers();
  for (std::size_t i = 1; i < day_counts_.size(); ++i) {
    // A value that is no real date was not written by DocumentBuilder: no day to put it on.
    if (day_counts_[i] != 0 && days[i]) counts.days.emplace_back(*days[i], day_counts_[i]);
  }
  for (const auto& [key, count] : outlet_days_) {
    const auto& day = days[key >> 24];
    if (day) counts.timeline.push_back({outlets[key & FacetColumns::kMaxOutlets], *day, count});
  }
  return counts;
}

namespace {

/// Adds `more`, counted in another shard, to `into`.
void add_counts(FacetCounts& into, const FacetCounts& more) {
  into.total += more.total;
  into.stories += more.stories;
  for (const auto& [outlet, count] : more.outlets) into.outlets[outlet] += count;
  for (const auto& [lang, count] : more.langs) into.langs[lang] += count;
  DayCounts days;
  days.reserve(into.days.size() + more.days.size());
  std::merge(into.days.begin(), into.days.end(), more.days.begin(), more.days.end(), std::back_inserter(days));
  into.days.clear();
  for (const auto& [day, count] : days) {
    if (!into.days.empty() && into.days.back().first == day) {
      into.days.back().second += count;
    } else {
      into.days.emplace_back(day, count);
    }
  }
  into.undated += more.undated;
  // timeline() adds up the entries of one outlet and day.
  into.timeline.insert(into.timeline.end(), more.timeline.begin(), more.timeline.end());
}

}  // namespace

ShardCounters::ShardCounters(std::span<const std::shared_ptr<const FacetColumns>> columns,
                             const FacetFilter& filter) {
  for (const auto& shard_columns : columns) counters_.push_back(std::make_unique<FacetCounter>(shard_columns, filter));
}

FacetCounts ShardCounters::sum(const SpanningGroups& spanning) const {
  if (counters_.size() == 1) return counters_.front()->counts();
  FacetCounts sum;
  std::vector<char> counted(spanning.count() + 1);  // by number across the shards
  for (std::size_t shard = 0; shard < counters_.size(); ++shard) {
    add_counts(sum, counters_[shard]->counts());
    const std::vector<char>& groups = counters_[shard]->groups_counted();
    for (std::uint32_t group = 1; group < groups.size(); ++group) {
      const std::uint32_t across = groups[group] ? spanning.of(shard, group) : 0;
      if (across == 0) continue;
      if (counted[across]) --sum.stories;
      counted[across] = 1;
    }
  }
  return sum;
}

FacetCounts count_listed(std::span<const Xapian::Database> shards, const Xapian::Query& query,
                         std::span<const std::shared_ptr<const FacetColumns>> shard_columns,
                         const SpanningGroups& spanning, const FacetFilter& filter) {
  std::vector<std::vector<Xapian::docid>> by_shard(shard_columns.size());
  for_each_match(shards, query, false,
                 [&by_shard](ShardDocid where, double) { by_shard[where.shard].push_back(where.did); });
  const ShardCounters counters{shard_columns, filter};
  for (std::size_t shard = 0; shard < counters.size(); ++shard) counters[shard].count(by_shard[shard]);
  return counters.sum(spanning);
}

OutletFacet outlet_facet(const std::unordered_map<std::string, Xapian::doccount>& counts,
                         const OutletFacetQuery& query, const Xapian::Database& db) {
  auto groups = group_outlets(counts);
  OutletFacet facet;
  std::unordered_set<std::string> chosen_terms;
  for (const auto& name : query.selected) {
    std::string term = schema::outlet_term(name);
    if (!chosen_terms.insert(term).second) continue;
    auto group = groups.find(term);
    if (group != groups.end()) {
      facet.outlets.push_back({group->second.display, group->second.count, true});
    } else {
      facet.outlets.push_back({stored_name(db, term, name), 0, true});
    }
  }
  std::sort(facet.outlets.begin(), facet.outlets.end(), by_count_then_name);

  const std::vector<std::string> prefixes = match_words(query.prefix);
  std::vector<OutletCount> others;
  for (const auto& [term, group] : groups) {
    if (chosen_terms.count(term) != 0) continue;
    // Counted already: the prefix only picks which outlets to list, not what they count.
    if (!prefixes.empty() && !words_start_with(outlet_words(group.display), prefixes)) continue;
    others.push_back({group.display, group.count, false});
  }
  facet.total = facet.outlets.size() + others.size();
  const std::size_t keep = std::min(others.size(), static_cast<std::size_t>(std::max(query.size, 0)));
  std::partial_sort(others.begin(), others.begin() + static_cast<std::ptrdiff_t>(keep), others.end(),
                    by_count_then_name);
  others.resize(keep);
  facet.outlets.insert(facet.outlets.end(), others.begin(), others.end());
  return facet;
}

std::vector<std::string> match_words(std::string_view text) {
  // Word characters become themselves folded, the rest spaces; the words are what is between.
  std::string spaced;
  if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    // Most outlet names: what ICU would give, without its cost.
    spaced.reserve(text.size());
    for (const char c : text) {
      spaced += std::isalnum(static_cast<unsigned char>(c)) ? ascii_lower(c) : ' ';
    }
  } else {
    icu::UnicodeString folded = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
    accent_folding().transliterate(folded);
    folded.foldCase();
    icu::UnicodeString words;
    for (std::int32_t i = 0; i < folded.length(); i = folded.moveIndex32(i, 1)) {
      const UChar32 c = folded.char32At(i);
      words.append((U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0 ? c : UChar32{' '});
    }
    words.toUTF8String(spaced);
  }
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < spaced.size()) {
    const std::size_t end = std::min(spaced.find(' ', start), spaced.size());
    if (end > start) words.push_back(spaced.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

bool words_start_with(const std::vector<std::string>& words, const std::vector<std::string>& prefixes) {
  return std::all_of(prefixes.begin(), prefixes.end(), [&words](const std::string& prefix) {
    return std::any_of(words.begin(), words.end(),
                       [&prefix](const std::string& word) { return word.starts_with(prefix); });
  });
}

namespace {

LanguageCount language_count(const std::string& code, Xapian::doccount count, bool selected) {
  return {code, text::language_name(code), count, selected};
}

bool by_count_then_code(const LanguageCount& a, const LanguageCount& b) {
  return a.count != b.count ? a.count > b.count : a.code < b.code;
}

}  // namespace

std::vector<LanguageCount> lang_facet(const std::unordered_map<std::string, Xapian::doccount>& counts,
                                      const std::vector<std::string>& selected) {
  std::vector<LanguageCount> chosen, others;
  for (const auto& code : selected) {
    const bool seen = std::any_of(chosen.begin(), chosen.end(),
                                  [&code](const LanguageCount& c) { return c.code == code; });
    if (seen) continue;
    const auto found = counts.find(code);
    chosen.push_back(language_count(code, found == counts.end() ? 0 : found->second, true));
  }
  std::sort(chosen.begin(), chosen.end(), by_count_then_code);
  for (const auto& [code, count] : counts) {
    if (std::find(selected.begin(), selected.end(), code) == selected.end()) {
      others.push_back(language_count(code, count, false));
    }
  }
  std::sort(others.begin(), others.end(), by_count_then_code);
  chosen.insert(chosen.end(), others.begin(), others.end());
  return chosen;
}

std::vector<LanguageCount> all_langs(const Xapian::Database& db) {
  std::vector<LanguageCount> langs;
  const std::string prefix{schema::kPrefixLang};
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    langs.push_back(language_count((*it).substr(prefix.size()), it.get_termfreq(), false));
  }
  std::sort(langs.begin(), langs.end(), by_count_then_code);
  return langs;
}

std::vector<OutletCount> all_outlets(const Xapian::Database& db, bool remote) {
  std::unordered_map<std::string, Xapian::doccount> counts;
  if (remote) {
    // A remote database sends values a document a message: one counting pass instead.
    counts = value_counts(CountingPass{db}, Xapian::Query::MatchAll, schema::kSlotOutlet);
  } else {
    for (auto it = db.valuestream_begin(schema::kSlotOutlet); it != db.valuestream_end(schema::kSlotOutlet); ++it) {
      ++counts[*it];
    }
  }
  return outlets_by_count(counts);
}

std::vector<OutletCount> all_outlets(std::span<const std::shared_ptr<const FacetColumns>> parts) {
  std::unordered_map<std::string, Xapian::doccount> counts;
  for (const auto& columns : parts) {
    std::vector<Xapian::doccount> by_number(columns->outlets().size());
    for (Xapian::docid did = 1; did <= columns->last_docid(); ++did) ++by_number[columns->cell(did).outlet];
    for (std::size_t outlet = 1; outlet < by_number.size(); ++outlet) {
      if (by_number[outlet] != 0) counts[columns->outlets()[outlet]] += by_number[outlet];
    }
  }
  return outlets_by_count(counts);
}

}  // namespace clippings::search
