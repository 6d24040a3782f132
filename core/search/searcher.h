/// @file searcher.h
/// Search over a Clippings database: query parsing, filters, exact facets, safe snippets.
/// One Searcher per thread: it owns its Xapian handles and reopens them to see new commits.
#pragma once

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "article.h"
#include "config.h"
#include "result.h"
#include "search/copies.h"
#include "search/query_syntax.h"

namespace clippings {

/// kIndexed: the most recently indexed first (kSlotIndexed); articles indexed before that
/// slot existed come last, the last added first.
enum class SortOrder { kRelevance, kNewest, kOldest, kIndexed };
enum class Interval { kAuto, kDay, kWeek, kMonth, kYear };

/// A search with every parameter already validated (see parse helpers below).
struct SearchRequest {
  std::string q;                     ///< Xapian query syntax; empty lists everything
  std::vector<std::string> outlets;  ///< any of these (display names, case-insensitive)
  std::vector<std::string> langs;    ///< any of these languages (ISO 639-1 codes)
  std::string from;                  ///< inclusive "YYYY-MM-DD" or empty
  std::string to;                    ///< inclusive "YYYY-MM-DD" or empty
  SortOrder sort = SortOrder::kRelevance;
  int page = 1;                      ///< from 1
  int size = 10;                     ///< 1..100
  Interval interval = Interval::kAuto;
  int facet_size = 20;               ///< outlets listed beyond the selected ones, or kEveryFacetValue
  std::string facet_query;           ///< list only outlets with words starting with its words
  bool facets = true;                ///< false skips both facets (exports, feeds)
  bool timeline = false;             ///< with facets, also the coverage timeline
  bool snippets = true;
  bool correct = true;               ///< a misspelt q that finds nothing is searched corrected
  bool collapse = true;              ///< one hit per group of copies, the best-ranked one
};

struct Hit {
  std::string id, title, title_html, outlet, date, url, author;
  std::string lang;          ///< ISO 639-1 code of the article's language
  double score = 0;          ///< BM25 weight (plus kTierWeight per word of a partial match); 0 for an empty q
  std::string snippet_html;  ///< HTML-escaped text with <mark> around matched words
  std::optional<Copies> copies;  ///< its group of copies, up to 10 items; absent when it has none
};

struct OutletCount {
  std::string value;
  Xapian::doccount count = 0;
  bool selected = false;
};

/// A language with the number of articles in it.
struct LanguageCount {
  std::string code;  ///< ISO 639-1
  std::string name;  ///< in English, "Russian"
  Xapian::doccount count = 0;
  bool selected = false;
};

struct DateBucket {
  std::string key;   ///< "2022", "2022-11", "2022-W47" or "2022-11-25"
  std::string from;  ///< first day, "YYYY-MM-DD"
  std::string to;    ///< last day, inclusive
  Xapian::doccount count = 0;
};

struct DateFacet {
  std::string interval;  ///< "day", "week", "month" or "year": the one used
  std::vector<DateBucket> buckets;
  Xapian::doccount undated = 0;
};

/// One bucket of the date facet, its count split by outlet.
struct TimelineBucket {
  std::string key, from, to;             ///< as in the date facet's bucket
  std::vector<Xapian::doccount> counts;  ///< by TimelineFacet::outlets, then "other"
};

/// The coverage timeline (search::timeline): the date facet split by the top outlets.
struct TimelineFacet {
  std::string interval;                 ///< the date facet's
  std::vector<std::string> outlets;     ///< the top outlets, most articles first
  std::vector<TimelineBucket> buckets;  ///< the date facet's buckets, in order
  Xapian::doccount undated = 0;         ///< as in the date facet
};

struct SearchResponse {
  std::string query;  ///< the q searched: the corrected one when corrected_from is set
  Xapian::doccount total = 0;  ///< what the hits page through: stories when `collapsed`, else articles
  Xapian::doccount total_articles = 0;  ///< matching articles, every copy counted
  bool collapsed = false;  ///< one hit per group of copies (asked for, and the index has copies)
  bool total_exact = true;
  bool timed_out = false;  ///< counting stopped at server.match_time_limit_ms: total and facets are lower bounds
  double took_ms = 0;
  int page = 1, size = 10;
  SortOrder sort = SortOrder::kRelevance;  ///< the order of the hits: newest for a relevance
                                           ///< sort of a query that weighs nothing (empty q)
  std::vector<Hit> hits;
  std::vector<OutletCount> outlet_facet;
  std::size_t outlet_total = 0;  ///< outlets the facet would list without facet_size
  std::vector<LanguageCount> lang_facet;
  DateFacet date_facet;
  std::optional<TimelineFacet> timeline;  ///< when asked for (SearchRequest::timeline)
  std::optional<std::string> suggestion;  ///< spelling-corrected query, if it differs
  bool partial = false;               ///< some matches lack words of q (relaxed plain query)
  std::vector<std::string> dropped;   ///< with `partial`: the words some matches lack, as typed
  std::optional<std::string> corrected_from;  ///< q as given, when the corrected q was searched
  std::vector<search::QueryNote> notes;       ///< what q left open
  /// Shards that were down (server.partial_results): the answer is that of the others.
  std::vector<std::string> missing_shards;
};

/// An article with its full text, highlighted when a query is given.
struct ArticleView {
  Article article;
  std::string title_html;
  std::string text_html;  ///< escaped full text, <mark> around matches of the query
};

/// An article and every copy of it (Searcher::copies).
struct ArticleCopies {
  CopyRef article;
  Copies copies;  ///< items: the other articles of its group, each with `shared`
};

/// One of the databases searched as one (search/shards.h).
struct ShardStats {
  std::string path;
  Xapian::doccount articles = 0;
  Xapian::rev revision = 0;
  std::string down;  ///< why it is left out (server.partial_results); "" while it is searched
};

struct Stats {
  Xapian::doccount articles = 0;
  std::vector<OutletCount> outlets;  ///< every outlet with its article count
  std::vector<LanguageCount> langs;  ///< every language with its article count
  std::string first_date, last_date;  ///< "" when nothing is dated
  Xapian::rev revision = 0;  ///< the database's revision; with shards, the sum of theirs
  int max_export_rows = 0;  ///< server.max_export_rows: where an export of every match stops
  std::vector<ShardStats> shards;  ///< with shards, each configured one; empty with one database
};

namespace search {
class FacetColumnsCache;
class ConcurrencyLimit;
}
class HitStream;

/// 503 "not_ready": "the search index is not ready: " and the reason.
Error not_ready_error(const std::string& reason);

namespace search {
/// Told how each shard answered (for /metrics); shared by the Searchers of a server, so called
/// from any thread.
class ShardObserver {
 public:
  virtual ~ShardObserver() = default;
  /// `shard` (as configured) was opened, or moved to its newest revision, in `seconds`: for a
  /// remote shard, a round trip at the start of each request.
  virtual void shard_opened(const std::string& shard, double seconds) = 0;
  /// `shard` could not be opened or reached, or its connection broke during a request.
  virtual void shard_failed(const std::string& shard) = 0;
};
}  // namespace search

class Searcher {
 public:
  /// `facet_columns` may be shared by the Searchers of one server (see FacetColumnsCache), and
  /// so may `expensive`, the bound on expensive searches running at once (more than
  /// server.expensive_query_terms terms); without them, the Searcher keeps its own.
  explicit Searcher(Config config, std::shared_ptr<search::FacetColumnsCache> facet_columns = nullptr,
                    std::shared_ptr<search::ConcurrencyLimit> expensive = nullptr);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  /// Tells `observer` (null: no one) how each shard answers from now on.
  void observe_shards(search::ShardObserver* observer);
  Searcher& operator=(const Searcher&) = delete;

  /// Opens the database if needed and reopens it to see new commits. False if it cannot.
  /// search() and the lookups do this themselves, and fail with not_ready_error().
  bool ready();
  /// Why ready() is false: "no database at PATH: run clippings-indexer first", "the database
  /// at PATH is empty", "cannot open the database at PATH: ...". Empty when ready.
  std::string not_ready_reason() const;

  // Each call below reopens the database first (new commits show at once) and fails with
  // 503 "not_ready" when ready() would be false. Bad input is a 400 with the code of its rule
  // (see check_search_request); a query expanding to more than server.max_query_terms terms is
  // a 400 "query_too_complex"; an expensive query while server.max_expensive_searches run is a
  // 503 "busy".

  /// Hits of one page, the exact total and both facets (unless request.facets is false).
  Result<SearchResponse> search(const SearchRequest& request);
  /// 404 "not_found" for an unknown id; `q` (may be empty) is highlighted in title and text.
  Result<ArticleView> article(const std::string& id, const std::string& q);
  /// Up to `size` (1..100) articles sharing the most telling words of `id`, not itself;
  /// snippets are their openings. 404 for an unknown id.
  Result<std::vector<Hit>> similar(const std::string& id, int size);
  /// Every copy of `id` (any form resolve_id takes) with the share of its text each has. 404
  /// for an unknown id.
  Result<ArticleCopies> copies(const std::string& id);
  /// Cached per database revision.
  Result<Stats> stats();

  /// Up to `limit` matches of `request` from match `offset` on (its page and size are not
  /// used), in its order, ordered by one match pass over the newest revision; see HitStream.
  /// Snippets only with request.snippets. Errors as for search().
  Result<HitStream> stream(const SearchRequest& request, Xapian::doccount offset,
                           Xapian::doccount limit);
  /// The id of the article that `id` names: `id` itself, else, when it is a URL, the id its
  /// normalised form is (as the indexer normalises URLs: no "www.", fragment, trailing slash
  /// or tracking parameters), with http and https taken as the same. 404 when none is found.
  Result<std::string> resolve_id(const std::string& id);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Bounds of the search parameters, for every caller: one rule each.
inline constexpr int kMaxPageSize = 100;     ///< hits one search may return
inline constexpr int kMinFacetSize = 1;
inline constexpr int kMaxFacetSize = 1000;
/// The facet_size that lists every value (the HTTP layer spells it "all").
inline constexpr int kEveryFacetValue = std::numeric_limits<int>::max();

/// The text rules of every parameter value: valid UTF-8 and no control character but tab, CR
/// and LF (a NUL could cut the value short in any C library below us): else a 400
/// "invalid_parameter" naming `param`.
std::optional<Error> check_text(std::string_view value, const std::string& param);
/// `value` without the Unicode bidirectional embedding, override and isolate controls
/// (U+202A-U+202E, U+2066-U+2069): they match nothing, and echoed back they would reorder how
/// the rest displays. The marks U+200E and U+200F, common in right-to-left text, stay.
std::string strip_bidi_controls(std::string_view value);
/// The rules of q and of any text searched like it (facet_query): check_text, then at most
/// server.max_query_bytes (400 "query_too_long" naming `param`).
std::optional<Error> check_query_text(const std::string& q, const ServerSettings& settings,
                                      const std::string& param = "q");
/// A whole request's rules, as the HTTP layer and Searcher::search apply them: q and facet_query
/// as above, page from 1, facet_size kMinFacetSize..kMaxFacetSize or kEveryFacetValue, dates
/// as YYYY-MM-DD with from <= to ("invalid_date_range" naming from), outlets as check_text. The page size is the caller's
/// (exports page through results); one search() returns at most kMaxPageSize hits.
std::optional<Error> check_search_request(const SearchRequest& request, const ServerSettings& settings);
/// The 400 "invalid_parameter" for an integer outside [min, max], worded the same everywhere.
Error out_of_range(const std::string& param, int min, int max, std::string_view text);

/// Parameter parsing shared by the HTTP layer: each returns a 400 "invalid_parameter" Error
/// naming `param`. An empty text (a form field left alone) gives the default: relevance, auto,
/// no date.
Result<SortOrder> parse_sort(const std::string& text, const std::string& param);
/// "relevance", "newest" or "oldest": the name parse_sort reads.
std::string_view sort_name(SortOrder sort);
Result<Interval> parse_interval(const std::string& text, const std::string& param);
/// "2022", "2022-11" or "2022-11-25"; `as_end` picks the last day of a year or month.
Result<std::string> parse_date_param(const std::string& text, bool as_end, const std::string& param);

/// The ISO 639-1 codes of `lang` parameters ("ru", "RU", "ru-RU" and "Russian" are all "ru");
/// a 400 "invalid_parameter" naming `param` for one that names no language.
Result<std::vector<std::string>> parse_lang_params(const std::vector<std::string>& values,
                                                   const std::string& param);

/// HTML-escapes &, <, >, " and '.
std::string escape_html(std::string_view text);

}  // namespace clippings
