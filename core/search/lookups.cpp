/// @file lookups.cpp
/// One article, articles like it, and what the database holds.
#include <algorithm>
#include <iterator>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <utf8.h>

#include "ingest/ingest.h"
#include "schema.h"
#include "search/ranking.h"
#include "search/searcher_state.h"
#include "search/shards.h"

namespace clippings {
namespace {

/// Terms the relevance feedback of similar() draws from an article.
constexpr Xapian::termcount kSimilarTerms = 40;

/// The ids `id` may stand for, in the order tried: itself, then, if it is a URL, its
/// normalised form (the id the indexer gives an article with that URL) with the scheme it
/// has, then https, then http: readers copy links with either.
std::vector<std::string> id_forms(const std::string& id) {
  std::vector<std::string> forms = {id};
  if (url_host(id).empty()) return forms;
  const std::string normal = normalize_url(id);
  std::string_view rest = normal;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (rest.starts_with(scheme)) rest.remove_prefix(scheme.size());
  }
  for (const std::string& form :
       {normal, "https://" + std::string{rest}, "http://" + std::string{rest}}) {
    if (std::find(forms.begin(), forms.end(), form) == forms.end()) forms.push_back(form);
  }
  return forms;
}

/// The whole id, as given: a shortened one would not tell which of two long URLs was meant.
/// Shards that are down (`missing`) may hold it: they are named.
Error unknown_article(const std::string& id, const std::vector<std::string>& missing) {
  std::string quoted;
  utf8::replace_invalid(id.begin(), id.end(), std::back_inserter(quoted));
  const auto forms = id_forms(id);
  std::string message = forms.size() == 1
                            ? fmt::format("no article with id '{}'", quoted)
                            : fmt::format("no article with id '{}', nor with the normalised URL '{}' "
                                          "(over http or https)",
                                          quoted, forms[1]);
  if (!missing.empty()) message += fmt::format("; shards down, which may hold it: {}", fmt::join(missing, ", "));
  return not_found(message);
}

}  // namespace

std::optional<Searcher::State::Found> Searcher::State::find(const std::string& id) {
  for (const auto& form : id_forms(id)) {
    std::string term = schema::id_term(form);
    auto it = db->postlist_begin(term);
    if (it != db->postlist_end(term)) return Found{db->get_document(*it), *it, std::move(term)};
  }
  return std::nullopt;
}

Result<ArticleView> Searcher::article(const std::string& id, const std::string& q) {
  State& s = *state_;
  if (auto error = check_query_text(q, s.config.server)) return *error;
  if (!s.open()) return not_ready_error(s.reason);
  return s.retrying([&]() -> Result<ArticleView> {
    auto found = s.find(id);
    if (!found) return unknown_article(id, s.missing_shards());
    search::LanguageTerms by_language;
    if (!q.empty()) {
      auto parsed = s.queries->parse(q);
      if (!parsed) return parsed.error();
      if (!parsed->match_all) by_language = search::LanguageTerms{parsed->branches};
    }
    ArticleView view;
    view.article = from_stored_data(found->doc.get_data());
    const std::string& lang = view.article.lang;
    const search::QueryTerms& terms = by_language.of(lang);
    view.title_html = s.highlighter->highlight(view.article.title, terms.title, lang);
    view.text_html = s.highlighter->highlight(view.article.text, terms.body, lang);
    return view;
  });
}

Result<std::vector<Hit>> Searcher::similar(const std::string& id, int size) {
  State& s = *state_;
  if (size < 1 || size > kMaxPageSize) return out_of_range("size", 1, kMaxPageSize, std::to_string(size));
  if (!s.open()) return not_ready_error(s.reason);
  return s.retrying([&]() -> Result<std::vector<Hit>> {
    auto found = s.find(id);
    if (!found) return unknown_article(id, s.missing_shards());
    Xapian::Enquire enquire(*s.db);
    Xapian::RSet feedback;
    feedback.add_document(found->did);
    const search::TopicTerms topic_terms{*s.db};
    // Over shards Xapian would estimate each word's frequency from the shards holding the
    // article; exact, the words are those of one database.
    const Xapian::ESet eset =
        enquire.get_eset(kSimilarTerms, feedback, Xapian::Enquire::USE_EXACT_TERMFREQ, &topic_terms);
    if (eset.empty()) return std::vector<Hit>{};

    std::vector<Xapian::Query> terms;
    for (auto it = eset.begin(); it != eset.end(); ++it) {
      terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it), it.get_weight());
    }
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT,
                                    Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                                    Xapian::Query(found->id_term)));
    const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(size));
    // Related articles are shown by their openings, as a reader scans a "see also" list.
    return s.make_hits(mset, search::LanguageTerms{}, true, {s.counting_shards});
  });
}

Result<ArticleCopies> Searcher::copies(const std::string& id) {
  State& s = *state_;
  if (!s.open()) return not_ready_error(s.reason);
  return s.retrying([&]() -> Result<ArticleCopies> {
    auto found = s.find(id);
    if (!found) return unknown_article(id, s.missing_shards());
    Article article = from_stored_data(found->doc.get_data());
    return ArticleCopies{CopyRef{std::move(article.id), std::move(article.outlet), std::move(article.date),
                                 std::move(article.url), std::move(article.title), std::nullopt},
                         search::copies_of_article(s.parts(), s.remote, found->did, {s.counting_shards})};
  });
}

Result<std::string> Searcher::resolve_id(const std::string& id) {
  State& s = *state_;
  if (!s.open()) return not_ready_error(s.reason);
  return s.retrying([&]() -> Result<std::string> {
    auto found = s.find(id);
    if (!found) return unknown_article(id, s.missing_shards());
    return from_stored_data(found->doc.get_data()).id;
  });
}

Result<Stats> Searcher::stats() {
  State& s = *state_;
  if (!s.open()) return not_ready_error(s.reason);
  return s.retrying([&]() -> Result<Stats> {
    const Xapian::Database& db = *s.db;
    const std::string key = s.revision_key();
    if (s.stats_cache && s.stats_key == key) return *s.stats_cache;
    Stats stats;
    stats.articles = db.get_doccount();
    // From the columns when they are read: a pass over arrays rather than over the values (or,
    // over remote shards, a counting pass).
    stats.outlets = s.part_columns_ready() ? search::all_outlets(s.part_columns(s.columns))
                                           : search::all_outlets(db, s.remote);
    stats.langs = search::all_langs(db);
    // Bounds kept by the database: exact unless dated articles were deleted since.
    const std::string first = db.get_value_lower_bound(schema::kSlotDate);
    const std::string last = db.get_value_upper_bound(schema::kSlotDate);
    if (!first.empty()) stats.first_date = schema::iso_from_date_value(first);
    if (!last.empty()) stats.last_date = schema::iso_from_date_value(last);
    if (!s.sharded()) stats.revision = db.get_revision();
    // Shards: the sum of their revisions, which grows with a commit to any of them. A remote
    // shard does not tell its revision: 0.
    for (std::size_t i = 0; i < s.shard_handles.size(); ++i) {
      const auto& shard = s.shard_handles[i];
      const Xapian::rev revision = shard && !remote_address((*s.paths)[i]) ? shard->get_revision() : 0;
      stats.revision += revision;
      stats.shards.push_back({(*s.paths)[i], shard ? shard->get_doccount() : 0, revision, s.shard_down[i]});
    }
    stats.max_export_rows = s.config.server.max_export_rows;
    s.stats_cache = stats;
    s.stats_key = key;
    return stats;
  });
}

}  // namespace clippings
