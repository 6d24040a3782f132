/// @file searcher_state.h
/// What a Searcher keeps between calls: its database handle, parser, highlighter and caches.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <xapian.h>

#include "search/budget.h"
#include "search/day_filter.h"
#include "search/facets.h"
#include "search/highlight.h"
#include "search/oldest_first.h"
#include "search/query_builder.h"
#include "search/query_terms.h"
#include "search/searcher.h"
#include "search/shards.h"

namespace clippings {

using SearchClock = std::chrono::steady_clock;

/// Sort key for oldest-first: the date, with undated documents after every dated one (an
/// empty value would sort them first).
class UndatedLastKey : public Xapian::KeyMaker {
 public:
  std::string operator()(const Xapian::Document& doc) const override;
};

/// The documents a search returns: how many pass the filters, their facet counts, and how
/// they match q.
struct MatchSet {
  std::shared_ptr<const search::FacetCounts> counts;  ///< null without facets
  Xapian::doccount total = 0;  ///< exact with counts; else exact only below the count's limit
  bool relaxed = false;        ///< plain words were dropped
  std::size_t min_clauses = 0; ///< when relaxed: the fewest words of q a match has
  search::ClauseMask dropped = 0;  ///< when relaxed: the words some match lacks
  bool timed_out = false;      ///< counting stopped at the deadline: counts are lower bounds
};

struct Searcher::State {
  State(Config settings, std::shared_ptr<search::FacetColumnsCache> columns,
        std::shared_ptr<search::ConcurrencyLimit> expensive_limit);

  /// Opens the database, or moves to its newest revision (see advance); false (with `reason`)
  /// if unusable.
  bool open();
  /// open() for one database; throws Xapian::DatabaseError.
  void open_single();
  /// open() for several databases (search/shards.h): each shard moves to its newest commit
  /// at once, and the columns of those revisions are read before the search goes on. Why a
  /// shard is unusable, naming it; else nothing. With server.partial_results, a shard that is
  /// down is left out (and named in `shard_down`) while another can be searched.
  std::optional<std::string> open_shards();
  /// Opens or reopens the shard configured at `i`; true when its handle is a new one. Its
  /// held revision is cleared when the handle is new or moved to a newer commit.
  /// Throws Xapian::DatabaseError.
  bool open_shard(std::size_t i);
  /// Tells the observer which remote shard's connection `error` broke (its context names it).
  void report_broken(const Xapian::NetworkError& error);
  /// Opens or reopens the databases of config.spelling, if any; why they cannot be, else
  /// nothing.
  std::optional<std::string> open_spelling();
  /// Joins the shards that are up into `shards` and `db`.
  void join_shards();
  /// The paths of the configured shards that are down.
  std::vector<std::string> missing_shards() const;
  /// open_shard(i), then its revision read when the handle moved; true when the shards are to
  /// be joined anew (a handle is new, or its counting connection was left out).
  bool refresh_shard(std::size_t i);
  /// Runs `work` on shard `i`'s handle (0) and its twin (1), at once when the shard is remote.
  void on_twins(std::size_t i, const std::function<void(Xapian::Database&, std::size_t)>& work);
  /// Reopens shard `i`'s handle and its twin (counting_handles) if it has one, a remote one's
  /// at once; true when either moved.
  bool reopen_twins(std::size_t i);
  /// Reads what names the revision of configured shard `i` (search::revision_of) into
  /// `shard_revisions_held`, from both its handles where it has two, reopened until they
  /// agree; true when they would not, and its counting handle was left out.
  bool read_revision(std::size_t i);
  /// `shard_revisions` from `shard_revisions_held`, for the shards searched.
  void gather_shard_revisions();
  /// Reads the columns of each shard's revision, unless they are the ones held. A remote
  /// shard's are read only when no other Searcher is reading them: until they are there,
  /// columns_complete() is false.
  void read_shard_columns();
  /// Whether every shard searched has its columns (always, unless a shard is remote).
  bool columns_complete() const;
  bool sharded() const { return !shards.empty(); }
  /// What a date filter reads (search::filter_days): the one database's columns `single`, or
  /// every local shard's with its uuid; none where it cannot (remote shards, columns not read
  /// yet, two shards with one uuid, copied from one another), which leaves a value range.
  std::vector<search::DayFilterPart> day_filter_parts(
      const std::shared_ptr<const search::FacetColumns>& single) const;
  /// Whether part_columns(columns) has every database's columns.
  bool part_columns_ready() const { return sharded() ? columns_complete() : columns != nullptr; }
  /// The databases searched, each on its own: the shards, or the one database. A view of
  /// the handles held (it is read for a page's copies): not to be kept past a reopen.
  std::span<const Xapian::Database> parts() const {
    return sharded() ? std::span<const Xapian::Database>{shards} : std::span<const Xapian::Database>{&*db, 1};
  }
  /// What names the revisions searched: search::revision_of each database.
  std::string revision_key() const;
  /// The columns each of parts() is counted with: the shards', or `single` for the one database
  /// (the span views it: not for a temporary).
  std::span<const std::shared_ptr<const search::FacetColumns>> part_columns(
      const std::shared_ptr<const search::FacetColumns>& single) const {
    return sharded() ? std::span<const std::shared_ptr<const search::FacetColumns>>{shard_columns}
                     : std::span<const std::shared_ptr<const search::FacetColumns>>{&single, 1};
  }
  /// Moves `db` to the newest commit once that revision's facet columns are read, reading them
  /// now if no other Searcher is; until then searches stay on the revision they have, whose
  /// documents and columns agree.
  void advance();
  /// After DatabaseModifiedError (the revision read was overwritten): the newest revision, its
  /// columns (waiting for them if another Searcher is reading them) and its languages.
  void catch_up();
  void close();
  /// Reads the languages of the database's revision and rebuilds the parser (and the
  /// highlighter if they changed): new articles may be in a language it has not seen.
  void read_languages();

  /// Runs `work`, and once more on the newest revision if a commit overtook it
  /// (Xapian::DatabaseModifiedError: the revision it read was overwritten), or on new
  /// connections if a remote shard's broke (Xapian::NetworkError: the shard restarted, or its
  /// idle timeout closed it); 503 when they cannot be made.
  template <typename Work>
  auto retrying(Work&& work) -> decltype(work()) {
    try {
      return work();
    } catch (const Xapian::DatabaseModifiedError&) {
      catch_up();
      return work();
    } catch (const Xapian::NetworkError& e) {
      if (!remote) throw;
      report_broken(e);
      close();
      if (!open()) return not_ready_error(reason);
      return work();
    }
  }

  /// The ranked pass of `parsed` under the request's filters, weighted and title-boosted as
  /// configured, in the order it lists them (`columns` is needed only when a date is set).
  Xapian::Enquire ranked(const search::ParsedQuery& parsed, const SearchRequest& request,
                         const search::FacetFilter& filter,
                         const std::shared_ptr<const search::FacetColumns>& columns);
  Result<SearchResponse> run_search(const SearchRequest& request);
  /// A page of a search: its matches in order and their hits.
  struct Listing {
    search::Pages pages;  ///< none where the columns list it (an empty q by date)
    std::vector<Hit> hits;
  };
  /// The page `request` asks for of `parsed` under `filter`, as `matches` decided (relaxed or
  /// not); sets the response's notes of it (partial, dropped, timed_out). response.sort and
  /// response.collapsed say how it is listed. `counted`, when given, is set once the counting
  /// pass running beside (counting_beside) is done with `counting_shards`.
  Listing list_page(const search::ParsedQuery& parsed, const SearchRequest& request,
                    const search::FacetFilter& filter, const MatchSet& matches, SearchResponse& response,
                    search::FreeSignal* counted = nullptr);
  /// A counting pass running beside the ranked pass.
  struct Counting {
    std::future<search::FacetCounts> counts;
    std::shared_ptr<search::FreeSignal> done;  ///< set when its connections are free again
  };
  /// The counting pass of `parsed` (search::count_listed) run on a thread of its own over
  /// `counting_shards`, beside the ranked pass; none unless the shards are remote, every one
  /// has its counting connection and its columns, facets are asked and q has words.
  std::optional<Counting> counting_beside(const search::ParsedQuery& parsed, const SearchRequest& request,
                                          const search::FacetFilter& filter);
  /// Hits [first, first + size) of `enquire` in `order`, with `check_at_least` matches looked
  /// at for the totals unless `until` comes first (then `timed_out`).
  search::Pages page(Xapian::Enquire& enquire, const search::PageOrder& order, Xapian::doccount first,
                     Xapian::doccount size, Xapian::doccount check_at_least, SearchClock::time_point until,
                     bool& timed_out);
  /// A slot among server.max_expensive_searches when `parsed` reads more than
  /// server.expensive_query_terms terms (none needed otherwise); 503 busy when all are taken.
  Result<std::optional<search::ConcurrencyLimit::Permit>> expensive_permit(
      const search::ParsedQuery& parsed);
  /// The strict matches of `parsed`: counted with facets, else counted up to where the
  /// decisions below need to know.
  MatchSet strict_matches(const search::ParsedQuery& parsed, const SearchRequest& request,
                          const search::FacetFilter& filter,
                          const std::shared_ptr<const search::FacetColumns>& columns);
  /// For a q that finds few articles: a spelling suggestion, or the corrected q searched
  /// instead (then `parsed` is replaced and true is returned).
  /// `filtered_total` is its count under the request's filters.
  bool respell(const SearchRequest& request, search::ParsedQuery& parsed,
               Xapian::doccount filtered_total, SearchResponse& response);
  /// The matches of a thin plain query with as few words dropped as bring it to
  /// server.relax_below matches; nullopt when dropping words adds nothing.
  std::optional<MatchSet> relaxed_matches(const search::MatchPlan& plan,
                                          const search::FacetFilter& filter,
                                          std::shared_ptr<const search::FacetColumns> columns);
  /// relaxed_matches() over remote shards whose columns are not read yet (columns_complete):
  /// counting passes with weight cutoffs, one a level of words, one a word for which are
  /// dropped, and those of search::count_by_values.
  std::optional<MatchSet> relaxed_by_passes(const search::MatchPlan& plan, const search::FacetFilter& filter);
  /// Both facets and the total under `filter`, counted over every match of `parsed` with
  /// `columns` (of the revision searched); `timed_out` when the deadline cut the count short.
  std::shared_ptr<const search::FacetCounts> facet_counts(
      const search::ParsedQuery& parsed, const search::FacetFilter& filter,
      std::shared_ptr<const search::FacetColumns> columns, bool& timed_out);
  /// An article's document, its docid in `db` and the id term that found it.
  struct Found {
    Xapian::Document doc;
    Xapian::docid did;  ///< not doc.get_docid(), which is the shard's own docid
    std::string id_term;
  };
  /// The article `id` names, if there is one: by its id, or by any form of its URL (see
  /// Searcher::resolve_id).
  std::optional<Found> find(const std::string& id);
  /// search::has_copies() of the revisions searched, asked once a revision: each search asks,
  /// and a remote shard answers in a round trip.
  bool has_copies();
  Hit make_hit(const Xapian::Document& doc, double score, const search::LanguageTerms& terms,
               bool with_snippet);
  /// The hits of `documents` with their `scores`, made by make_hit(), with their copies, whose
  /// articles are looked up together (search::copies_of, sharing the reading with `seconds`).
  std::vector<Hit> hits_of(std::span<const Xapian::Document> documents, std::span<const double> scores,
                           const search::LanguageTerms& terms, bool with_snippets,
                           const search::SecondConnections& seconds = {});
  /// hits_of() the matches of `mset`, in order, their documents read by search::documents_at
  /// (over remote shards, from every shard at once).
  /// With `seconds`, the reading (documents, copies) is shared with them.
  std::vector<Hit> make_hits(const Xapian::MSet& mset, const search::LanguageTerms& terms, bool with_snippets,
                             const search::SecondConnections& seconds = {});

  Config config;
  IndexLanguages languages;                          ///< of the revision `queries` was built for
  std::string languages_key;                         ///< its uuid and revision
  std::unique_ptr<search::Highlighter> highlighter;  ///< for `languages`
  UndatedLastKey undated_last;
  std::optional<std::vector<std::string>> paths;  ///< the databases to search (shard_paths)
  /// Some of `paths` are remote (served by xapian-tcpsrv): no match spy, posting source or
  /// key maker of ours runs there, and posting lists and values are read a message at a time,
  /// so facets are counted from the list of matching docids with columns read in sorted pages
  /// (or, until those are read, by Xapian's own spies: search/value_counts.h).
  bool remote = false;
  std::vector<Xapian::Database> shards;  ///< the shards searched (those up); `db` joins them
  std::vector<char> shard_remote;            ///< by shard searched: served by xapian-tcpsrv
  std::vector<std::string> shard_revisions;  ///< by shard searched: search::revision_of
  /// By configured shard (`paths`): its handle while it is up, the search::stub_identity() it
  /// was opened at, and why it is down ("" while up).
  std::vector<std::optional<Xapian::Database>> shard_handles;
  /// By configured shard, when some shards are remote: a second handle (a remote shard's second
  /// connection) at the same commit as its handle, for the counting pass, which runs beside the
  /// ranked pass (a connection answers a request at a time; a Xapian handle is for one thread);
  /// none while it is being made anew.
  std::vector<std::optional<Xapian::Database>> counting_handles;
  /// Those of the shards searched, when every one has it (else none): see counting_beside.
  std::vector<Xapian::Database> counting_shards;
  /// By configured shard: search::revision_of its handle, read again only when the handle is
  /// new or reopen() says it moved (a remote shard's change mark is a round trip); "" to read.
  std::vector<std::string> shard_revisions_held;
  std::vector<std::string> shard_stubs;
  std::vector<std::string> shard_down;
  std::vector<std::shared_ptr<const search::FacetColumns>> shard_columns;  ///< by shard searched
  /// Of `shard_columns` once complete, shared through `facet_columns`; none over one database.
  std::shared_ptr<const search::SpanningGroups> spanning_groups = search::SpanningGroups::none();
  std::string shard_columns_key;  ///< the revision_key() they were read for
  std::optional<Xapian::Database> spelling;  ///< config.spelling joined, when set
  std::optional<Xapian::Database> db;      ///< the revision searched
  std::optional<Xapian::Database> latest;  ///< reopened per request to see new commits
  std::string latest_stub;  ///< search::stub_identity() of the path when `latest` was opened
  std::shared_ptr<const search::FacetColumns> columns;  ///< of db's revision; none when sharded
  std::unique_ptr<search::QueryBuilder> queries;  ///< bound to `db`: rebuilt when it is
  std::string reason;                             ///< why open() failed
  std::optional<Stats> stats_cache;               ///< of the revisions `stats_key` names
  std::string stats_key;                          ///< a revision_key()
  search::ShardObserver* observer = nullptr;  ///< told how each shard answers; may be null
  std::shared_ptr<search::FacetColumnsCache> facet_columns;
  std::shared_ptr<search::ConcurrencyLimit> expensive;  ///< bound on expensive searches at once
  SearchClock::time_point deadline = SearchClock::time_point::max();  ///< of the search running
  bool any_copies = false;  ///< has_copies() of the revisions `copies_key` names
  std::string copies_key;   ///< a revision_key()
  std::shared_ptr<const search::FacetCounts> counts_cache;  ///< of an empty q, for its key
  std::string counts_cache_key;                             ///< uuid, revision and filters
};

/// A query finding fewer articles than this is checked for spelling.
inline constexpr int kFewMatches = 10;
/// A suggestion is offered when it finds this many times as many articles (and kFewMatches).
inline constexpr Xapian::doccount kManyMore = 5;

/// How many documents `query` matches, counted up to `limit` (exact below it).
Xapian::doccount count_upto(const Xapian::Database& db, const Xapian::Query& query,
                            Xapian::doccount limit);

}  // namespace clippings
