/// @file searcher.cpp
/// The search itself: a ranked pass for the page and a counting pass for the total and both
/// facets (opening the databases: opening.cpp; the page's hits: hits.cpp).
#include "search/searcher.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dates.h"
#include "schema.h"
#include "search/date_histogram.h"
#include "search/date_order.h"
#include "search/day_filter.h"
#include "search/hit_stream.h"
#include "search/oldest_first.h"
#include "search/ranking.h"
#include "search/searcher_state.h"
#include "search/shards.h"
#include "search/term_matches.h"
#include "search/timeline.h"
#include "search/value_counts.h"

namespace clippings {
namespace {

search::FacetFilter facet_filter(const SearchRequest& request) {
  search::FacetFilter filter;
  for (const auto& outlet : request.outlets) filter.outlet_terms.insert(schema::outlet_term(outlet));
  filter.langs.insert(request.langs.begin(), request.langs.end());
  if (!request.from.empty()) filter.date_from = schema::date_value(request.from);
  if (!request.to.empty()) filter.date_to = schema::date_value(request.to);
  filter.timeline = request.timeline;
  return filter;
}

/// `query` restricted to the request's outlets and languages and to the days of `filter`;
/// filters do not weigh in the ranking. The date filter reads the columns of `day_parts` when
/// there are any (State::day_filter_parts).
Xapian::Query filtered(const Xapian::Query& query, const SearchRequest& request,
                       const search::FacetFilter& filter, std::vector<search::DayFilterPart> day_parts) {
  Xapian::Query result = query;
  if (auto outlets = search::outlet_filter(request.outlets)) {
    result = Xapian::Query(Xapian::Query::OP_FILTER, result, *outlets);
  }
  if (!request.langs.empty()) {
    result = Xapian::Query(Xapian::Query::OP_FILTER, result, search::language_filter(request.langs));
  }
  if (filter.dated() && !day_parts.empty()) {
    result = search::filter_days(result, std::move(day_parts), filter.date_from, filter.date_to);
  } else if (filter.dated()) {
    // No posting source of ours runs on a remote shard.
    result = Xapian::Query(Xapian::Query::OP_FILTER, result, search::date_range(filter));
  }
  return result;
}

/// The order `asked` means for `parsed`: every match weighs the same when nothing is searched
/// for, so there relevance lists the newest first, the order that means something.
SortOrder listed_order(const search::ParsedQuery& parsed, SortOrder asked) {
  return parsed.match_all && asked == SortOrder::kRelevance ? SortOrder::kNewest : asked;
}

/// `undated_last` is null where no KeyMaker runs (remote shards): see search::oldest_first.
void set_sort(Xapian::Enquire& enquire, SortOrder sort, Xapian::KeyMaker* undated_last) {
  switch (sort) {
    case SortOrder::kNewest:
      // Descending, an undated document's empty value is the smallest: it comes last.
      enquire.set_sort_by_value_then_relevance(schema::kSlotDate, true);
      break;
    case SortOrder::kOldest:
      if (undated_last) {
        enquire.set_sort_by_key_then_relevance(undated_last, false);
      } else {
        enquire.set_sort_by_value_then_relevance(schema::kSlotDate, false);
      }
      break;
    case SortOrder::kIndexed:
      // Descending, an article with no indexing time (indexed before kSlotIndexed existed)
      // has the smallest value: those come last, and among equals the last added first.
      enquire.set_sort_by_value(schema::kSlotIndexed, true);
      enquire.set_docid_order(Xapian::Enquire::DESCENDING);
      break;
    case SortOrder::kRelevance:
      break;
  }
}

/// Thrown inside a counting pass whose time is up: the matcher has no way to stop early.
struct TimeUp {};

/// Read the clock once per this many matches: a read per match would cost more than counting.
constexpr unsigned kDeadlineStride = 256;

/// Ends a counting pass at `deadline`, where the match spies see each match.
class DeadlineSpy : public Xapian::MatchSpy {
 public:
  explicit DeadlineSpy(SearchClock::time_point deadline) : deadline_(deadline) {}
  void operator()(const Xapian::Document&, double) override {
    if (seen_++ % kDeadlineStride == 0 && SearchClock::now() >= deadline_) throw TimeUp{};
  }

 private:
  SearchClock::time_point deadline_;
  unsigned seen_ = 0;
};

/// The page of `enquire`, with `check_at_least` matches looked at (for the total) when that ends
/// before `deadline`; else the page alone, and `timed_out`. Enquire::set_time_limit would do the
/// same, but Xapian 1.4's timer thread can write its flag after get_mset has returned, into
/// whatever the stack holds by then: it crashed searches that ended as the limit passed.
Xapian::MSet page_within(Xapian::Enquire& enquire, Xapian::doccount first, Xapian::doccount size,
                         Xapian::doccount check_at_least, SearchClock::time_point deadline, bool& timed_out) {
  if (check_at_least <= first + size || deadline == SearchClock::time_point::max()) {
    return enquire.get_mset(first, size, check_at_least);
  }
  DeadlineSpy deadline_spy{deadline};
  enquire.add_matchspy(&deadline_spy);
  try {
    Xapian::MSet page = enquire.get_mset(first, size, check_at_least);
    enquire.clear_matchspies();
    return page;
  } catch (const TimeUp&) {
    enquire.clear_matchspies();
    timed_out = true;
    return enquire.get_mset(first, size);
  }
}

/// Counts every match of `query` into `counter`; false when `deadline` came first (then the
/// counts are of the matches seen so far).
bool count_matches(const Xapian::Database& db, const Xapian::Query& query,
                   search::FacetCounter& counter, SearchClock::time_point deadline) {
  try {
    const auto count = [&counter, deadline](search::DocidBatch docids) {
      if (SearchClock::now() >= deadline) throw TimeUp{};
      counter.count(docids);
    };
    if (search::visit_term_matches(db, query, count)) return true;
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    // Only counts are wanted: no weights, no documents kept.
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    DeadlineSpy deadline_spy{deadline};
    enquire.add_matchspy(&deadline_spy);
    enquire.add_matchspy(&counter);
    enquire.get_mset(0, 0, db.get_doccount());
  } catch (const TimeUp&) {
    return false;
  }
  return true;
}

}  // namespace

std::string UndatedLastKey::operator()(const Xapian::Document& doc) const {
  std::string date = doc.get_value(schema::kSlotDate);
  // "YYYYMMDD" values are digits, so any byte above '9' sorts after all of them.
  return date.empty() ? std::string{"~"} : date;
}

Error not_ready_error(const std::string& reason) {
  return Error{503, "not_ready", "the search index is not ready: " + reason, {}};
}

Searcher::State::State(Config settings, std::shared_ptr<search::FacetColumnsCache> columns,
                       std::shared_ptr<search::ConcurrencyLimit> expensive_limit)
    : config(std::move(settings)),
      facet_columns(columns ? std::move(columns) : std::make_shared<search::FacetColumnsCache>()),
      expensive(expensive_limit ? std::move(expensive_limit)
                                : std::make_shared<search::ConcurrencyLimit>(
                                      static_cast<std::size_t>(config.server.max_expensive_searches))) {}

std::shared_ptr<const search::FacetCounts> Searcher::State::facet_counts(
    const search::ParsedQuery& parsed, const search::FacetFilter& filter,
    std::shared_ptr<const search::FacetColumns> columns, bool& timed_out) {
  // Listing everything (an empty q) is the landing page: its counts only change with a commit.
  std::string key;
  if (parsed.match_all) {
    std::vector<std::string> outlets(filter.outlet_terms.begin(), filter.outlet_terms.end());
    std::sort(outlets.begin(), outlets.end());
    std::vector<std::string> langs(filter.langs.begin(), filter.langs.end());
    std::sort(langs.begin(), langs.end());
    key = fmt::format("{}:{}:{}:{}:{}:{}", revision_key(), filter.date_from,
                      filter.date_to, fmt::join(outlets, std::string_view{"\0", 1}),
                      fmt::join(langs, ","), filter.timeline);
    if (counts_cache && counts_cache_key == key) return counts_cache;
  }
  timed_out = false;
  std::shared_ptr<const search::FacetCounts> counts;
  if (remote) {
    // No match spy of ours runs on a remote shard, and no deadline can stop it.
    counts = std::make_shared<const search::FacetCounts>(
        columns_complete() ? search::count_listed(parts(), parsed.query, shard_columns, *spanning_groups, filter)
                           : search::count_by_values(search::CountingPass{*db}, parsed.query, filter));
  } else {
    // Each database with its own columns; a time limit is shared.
    const search::ShardCounters counters{part_columns(columns), filter};
    for (std::size_t i = 0; i < counters.size(); ++i) {
      timed_out = timed_out || !count_matches(parts()[i], parsed.query, counters[i], deadline);
    }
    counts = std::make_shared<const search::FacetCounts>(counters.sum(*spanning_groups));
  }
  if (!key.empty() && !timed_out) {
    counts_cache = counts;
    counts_cache_key = std::move(key);
  }
  return counts;
}

Xapian::Enquire Searcher::State::ranked(const search::ParsedQuery& parsed,
                                        const SearchRequest& request,
                                        const search::FacetFilter& filter,
                                        const std::shared_ptr<const search::FacetColumns>& columns) {
  // The page's weighting (feedback aside, which the page adds): exports list rows in page order.
  Xapian::Enquire enquire(*db);
  search::set_weighting(enquire, config.search);
  const Xapian::Query boosted = search::title_boosted(parsed.query, parsed.plan, config.search.title_boost);
  enquire.set_query(filtered(boosted, request, filter, day_filter_parts(columns)));
  set_sort(enquire, listed_order(parsed, request.sort), remote ? nullptr : &undated_last);
  if (request.collapse && has_copies()) enquire.set_collapse_key(schema::kSlotGroup);
  return enquire;
}

MatchSet Searcher::State::strict_matches(const search::ParsedQuery& parsed,
                                         const SearchRequest& request,
                                         const search::FacetFilter& filter,
                                         const std::shared_ptr<const search::FacetColumns>& columns) {
  MatchSet matches;
  if (request.facets) {
    matches.counts = facet_counts(parsed, filter, columns, matches.timed_out);
    matches.total = matches.counts->total;
  } else if (!parsed.match_all) {
    const auto limit = static_cast<Xapian::doccount>(std::max(config.server.relax_below, kFewMatches));
    matches.total = count_upto(*db, filtered(parsed.query, request, filter, day_filter_parts(columns)), limit);
  }
  return matches;
}

search::Pages Searcher::State::page(Xapian::Enquire& enquire, const search::PageOrder& order, Xapian::doccount first,
                                    Xapian::doccount size, Xapian::doccount check_at_least,
                                    SearchClock::time_point until, bool& timed_out) {
  if (remote && order.sort == SortOrder::kOldest) return search::oldest_first(enquire, *db, order, first, size);
  // A remote shard runs no match spy of ours, so none can keep the deadline there.
  Xapian::MSet mset =
      page_within(enquire, first, size, check_at_least, remote ? SearchClock::time_point::max() : until, timed_out);
  search::Pages pages;
  pages.total = mset.get_matches_estimated();
  pages.total_articles = order.collapsed ? mset.get_uncollapsed_matches_estimated() : pages.total;
  pages.exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  pages.msets.push_back(std::move(mset));
  return pages;
}

Result<std::optional<search::ConcurrencyLimit::Permit>> Searcher::State::expensive_permit(
    const search::ParsedQuery& parsed) {
  if (parsed.terms <= static_cast<std::size_t>(config.server.expensive_query_terms)) {
    return std::optional<search::ConcurrencyLimit::Permit>{};
  }
  auto permit = expensive->try_acquire();
  if (!permit) {
    return Error{503, "busy",
                 fmt::format("q: reads {} terms or more, and {} such search(es) already run (the "
                             "limit); retry shortly, or use fewer wildcards or longer prefixes",
                             config.server.expensive_query_terms + 1, expensive->limit()),
                 "q"};
  }
  return std::optional<search::ConcurrencyLimit::Permit>{std::move(permit)};
}

std::optional<Searcher::State::Counting> Searcher::State::counting_beside(const search::ParsedQuery& parsed,
                                                                         const SearchRequest& request,
                                                                         const search::FacetFilter& filter) {
  if (counting_shards.empty() || !columns_complete() || !request.facets || parsed.match_all) return std::nullopt;
  auto done = std::make_shared<search::FreeSignal>();
  // The thread's query shares no part with the caller's: Xapian's reference counts are not
  // thread-safe. Nothing else it reads changes before the counts are waited for.
  auto counts = std::async(std::launch::async, [this, query = Xapian::Query::unserialise(parsed.query.serialise()),
                                                filter, done] {
    // However the pass ends: the page's documents may be waiting for these connections.
    const struct SetAtEnd {
      search::FreeSignal& signal;
      ~SetAtEnd() { signal.set(); }
    } at_end{*done};
    return search::count_listed(counting_shards, query, shard_columns, *spanning_groups, filter);
  });
  return Counting{std::move(counts), std::move(done)};
}

Searcher::State::Listing Searcher::State::list_page(const search::ParsedQuery& parsed, const SearchRequest& request,
                                                    const search::FacetFilter& filter, const MatchSet& matches,
                                                    SearchResponse& response, search::FreeSignal* counted) {
  const Xapian::doccount all = db->get_doccount();
  const auto first = static_cast<Xapian::doccount>(
      std::min<long long>(static_cast<long long>(request.page - 1) * request.size, all));
  const auto size = static_cast<Xapian::doccount>(request.size);
  const SortOrder sort = response.sort;
  const search::LanguageTerms terms =
      parsed.match_all ? search::LanguageTerms{} : search::LanguageTerms{parsed.branches};
  // Without words, a date order is read from the columns (see date_order.h); the total then
  // comes from the counting pass.
  const bool by_day = sort == SortOrder::kNewest || sort == SortOrder::kOldest;
  std::optional<std::vector<Xapian::docid>> by_date;
  if (parsed.match_all && by_day && request.facets && !response.collapsed && columns) {
    by_date = search::match_all_by_date(*columns, filter, sort == SortOrder::kNewest, first, size, all);
  }
  // The counting connections share the reading of the page, once done counting.
  const search::SecondConnections seconds{counting_shards, counted};
  if (by_date) {
    // A query without words weighs nothing: score 0, as the matcher gives.
    return {{}, hits_of(search::documents_at(parts(), remote, *by_date, seconds),
                        std::vector<double>(by_date->size()), terms, request.snippets, seconds)};
  }
  Xapian::Enquire enquire = ranked(parsed, request, filter, columns);
  const search::MatchPlan& plan = parsed.plan;
  double min_weight = 0;  // the ranked pass's weight cutoff
  if (matches.relaxed) {
    const Xapian::Query tiered =
        search::title_boosted(plan.tiered(search::kTierWeight), plan, config.search.title_boost);
    enquire.set_query(filtered(tiered, request, filter, day_filter_parts(columns)));
    // Half a tier below: BM25 never reaches a tier, so this keeps exactly the documents with
    // min_clauses words or more.
    min_weight = (static_cast<double>(matches.min_clauses) - 0.5) * search::kTierWeight;
    enquire.set_cutoff(0, min_weight);
    response.partial = true;
    response.dropped = search::clause_texts(plan, matches.dropped);
  } else if (!plan.clauses.empty() && sort == SortOrder::kRelevance) {
    // Feedback reorders the matches by relevance: a date order has no use for it.
    enquire.set_query(search::with_feedback(enquire, enquire.get_query(), *db, config.search));
  }
  bool cut_short = false;
  Listing listing;
  listing.pages = page(enquire, {sort, response.collapsed, min_weight}, first, size, request.facets ? 0 : all,
                       deadline, cut_short);
  if (cut_short) response.timed_out = true;
  for (const Xapian::MSet& mset : listing.pages.msets) {
    for (Hit& hit : make_hits(mset, terms, request.snippets, seconds)) {
      listing.hits.push_back(std::move(hit));
    }
  }
  return listing;
}

Result<SearchResponse> Searcher::State::run_search(const SearchRequest& request) {
  if (!columns && !sharded()) columns = facet_columns->get(*db);
  auto parsed = queries->parse(request.q);
  if (!parsed) return parsed.error();
  auto permit = expensive_permit(*parsed);
  if (!permit) return permit.error();

  const search::FacetFilter filter = facet_filter(request);

  SearchResponse response;
  response.query = request.q;
  response.page = request.page;
  response.size = request.size;
  response.sort = listed_order(*parsed, request.sort);
  // The columns list articles; stories need the matcher's collapsing.
  response.collapsed = request.collapse && has_copies();
  // The counting pass comes first: whether the query is thin decides what the ranked pass
  // asks for. Counting without weights is cheaper than making the ranked pass weigh every
  // match, and the facets must ignore their own filters, so it could not be the ranked pass
  // whenever a filter is set anyway. Over remote shards, whose answers are waited for, the
  // page of the query as it is (the strict one) is listed while they count, and listed again
  // if the count respells or relaxes it.
  MatchSet matches;
  std::optional<Listing> strict_listing;
  if (auto counting = counting_beside(*parsed, request, filter)) {
    strict_listing = list_page(*parsed, request, filter, MatchSet{}, response, counting->done.get());
    matches.counts = std::make_shared<const search::FacetCounts>(counting->counts.get());
    matches.total = matches.counts->total;
  } else {
    matches = strict_matches(*parsed, request, filter, columns);
  }
  // A count the deadline cut short says nothing about whether q finds little.
  if (!parsed->match_all && !matches.timed_out && matches.total < static_cast<Xapian::doccount>(kFewMatches) &&
      respell(request, *parsed, matches.total, response)) {
    matches = strict_matches(*parsed, request, filter, columns);
    strict_listing.reset();
  }
  response.notes = parsed->notes;
  response.missing_shards = missing_shards();
  const search::MatchPlan& plan = parsed->plan;
  if (!parsed->match_all && !matches.timed_out && plan.relaxable() &&
      matches.total < static_cast<Xapian::doccount>(config.server.relax_below)) {
    if (auto relaxed = relaxed_matches(plan, filter, columns)) matches = std::move(*relaxed);
  }
  Listing listing = strict_listing && !matches.relaxed ? std::move(*strict_listing)
                                                       : list_page(*parsed, request, filter, matches, response);
  if (request.facets) {
    const auto& counts = *matches.counts;
    response.total_articles = counts.total;
    response.total = response.collapsed ? counts.stories : counts.total;
    response.timed_out = matches.timed_out;
    response.total_exact = !matches.timed_out;
    auto outlets = search::outlet_facet(
        counts.outlets, {request.outlets, request.facet_size, request.facet_query}, *db);
    response.outlet_facet = std::move(outlets.outlets);
    response.outlet_total = outlets.total;
    response.lang_facet = search::lang_facet(counts.langs, request.langs);
    response.date_facet = search::date_histogram(counts.days, counts.undated, request.interval);
    if (request.timeline) response.timeline = search::timeline(counts.timeline, response.date_facet);
  } else {
    response.total = listing.pages.total;
    response.total_articles = listing.pages.total_articles;
    response.total_exact = listing.pages.exact;
  }
  response.hits = std::move(listing.hits);
  return response;
}

Searcher::Searcher(Config config, std::shared_ptr<search::FacetColumnsCache> facet_columns,
                   std::shared_ptr<search::ConcurrencyLimit> expensive)
    : state_(std::make_unique<State>(std::move(config), std::move(facet_columns), std::move(expensive))) {}
Searcher::~Searcher() = default;

void Searcher::observe_shards(search::ShardObserver* observer) { state_->observer = observer; }

bool Searcher::ready() { return state_->open(); }

std::string Searcher::not_ready_reason() const { return state_->reason; }

Result<SearchResponse> Searcher::search(const SearchRequest& request) {
  const auto started = SearchClock::now();
  const double limit_ms = state_->config.server.match_time_limit_ms;
  state_->deadline = limit_ms > 0 ? started + std::chrono::duration_cast<SearchClock::duration>(
                                                  std::chrono::duration<double, std::milli>(limit_ms))
                                  : SearchClock::time_point::max();
  if (auto error = check_search_request(request, state_->config.server)) return *error;
  if (request.size < 1 || request.size > kMaxPageSize) {
    return out_of_range("size", 1, kMaxPageSize, std::to_string(request.size));
  }
  if (!state_->open()) return not_ready_error(state_->reason);
  auto result = state_->retrying([&] { return state_->run_search(request); });
  if (result) {
    result->took_ms =
        std::chrono::duration<double, std::milli>(SearchClock::now() - started).count();
  }
  return result;
}

Result<HitStream> Searcher::stream(const SearchRequest& request, Xapian::doccount offset,
                                   Xapian::doccount limit) {
  SearchRequest checked = request;
  checked.page = checked.size = 1;  // not used: offset and limit say which matches
  if (auto error = check_search_request(checked, state_->config.server)) return *error;
  State& s = *state_;
  if (!s.open()) return not_ready_error(s.reason);
  // Nothing is sent before the pass is done, so a revision overwritten during it is retried.
  return s.retrying([&]() -> Result<HitStream> {
    auto parsed = s.queries->parse(request.q);
    if (!parsed) return parsed.error();
    // Held for the match pass only: the stream then reads the hits it holds.
    auto permit = s.expensive_permit(*parsed);
    if (!permit) return permit.error();
    const search::FacetFilter filter = facet_filter(request);
    std::shared_ptr<const search::FacetColumns> columns;
    if (filter.dated() && !s.sharded()) columns = s.facet_columns->get(*s.db);
    Xapian::Enquire enquire = s.ranked(*parsed, request, filter, columns);
    const Xapian::doccount all = s.db->get_doccount();
    // Xapian reserves room for every item asked for: ask for no more than can match.
    const Xapian::doccount bound = enquire.get_mset(0, 0).get_matches_upper_bound();
    const Xapian::doccount wanted = offset < bound ? std::min(limit, bound - offset) : 0;
    const bool collapsed = request.collapse && s.has_copies();
    bool unused = false;
    search::Pages pages = s.page(enquire, {listed_order(*parsed, request.sort), collapsed}, offset, wanted, all,
                                 SearchClock::time_point::max(), unused);
    const Xapian::doccount total = pages.total;  // exact: every match counted
    search::LanguageTerms terms =
        parsed->match_all ? search::LanguageTerms{} : search::LanguageTerms{parsed->branches};
    const std::size_t snippet_length =
        request.snippets ? static_cast<std::size_t>(std::max(s.config.server.snippet_length, 1)) : 0;
    return HitStream{std::move(pages.msets), total, std::move(terms), *s.highlighter,
                     snippet_length, {s.parts().begin(), s.parts().end()}, s.missing_shards()};
  });
}

}  // namespace clippings
