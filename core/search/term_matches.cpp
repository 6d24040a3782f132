/// @file term_matches.cpp
#include "search/term_matches.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clippings::search {
namespace {

enum class Join { kAll, kAny };

struct TermQuery {
  Join join = Join::kAll;
  std::vector<std::string> terms;
};

/// `query` as terms and how they join, if it is that simple.
std::optional<TermQuery> as_term_query(const Xapian::Query& query) {
  using Xapian::Query;
  if (query.get_type() == Query::LEAF_TERM) {
    return TermQuery{Join::kAll, {*query.get_terms_begin()}};
  }
  TermQuery result;
  switch (query.get_type()) {
    case Query::OP_AND:
    case Query::OP_FILTER:  // weighs only its first part, but matches as AND does
      result.join = Join::kAll;
      break;
    case Query::OP_OR:
    case Query::OP_SYNONYM:
      result.join = Join::kAny;
      break;
    default:
      return std::nullopt;
  }
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    const Query part = query.get_subquery(i);
    if (part.get_type() != Query::LEAF_TERM) return std::nullopt;
    result.terms.push_back(*part.get_terms_begin());
  }
  return result;
}

/// Collects docids and hands them over a batch at a time.
class Batcher {
 public:
  explicit Batcher(const std::function<void(DocidBatch)>& visit) : visit_(visit) {}
  void add(Xapian::docid did) {
    buffer_[size_++] = did;
    if (size_ == buffer_.size()) flush();
  }
  void flush() {
    if (size_ != 0) visit_(DocidBatch(buffer_.data(), size_));
    size_ = 0;
  }

 private:
  const std::function<void(DocidBatch)>& visit_;
  std::array<Xapian::docid, 512> buffer_{};
  std::size_t size_ = 0;
};

void visit_postings(const Xapian::Database& db, const std::string& term, Batcher& out) {
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) out.add(*it);
}

/// Documents in every list: each list skips to the highest docid any list is at, the rarest
/// term leading, until all of them agree.
void visit_all_of(const Xapian::Database& db, const std::vector<std::string>& terms, Batcher& out) {
  std::vector<std::pair<Xapian::doccount, std::string>> by_frequency;
  for (const auto& term : terms) by_frequency.emplace_back(db.get_termfreq(term), term);
  std::sort(by_frequency.begin(), by_frequency.end());
  std::vector<Xapian::PostingIterator> lists;
  for (const auto& [frequency, term] : by_frequency) lists.push_back(db.postlist_begin(term));
  const Xapian::PostingIterator end;
  if (lists.front() == end) return;
  Xapian::docid candidate = *lists.front();
  for (;;) {
    bool agreed = true;
    for (auto& list : lists) {
      list.skip_to(candidate);
      if (list == end) return;
      if (*list != candidate) {
        candidate = *list;
        agreed = false;
        break;
      }
    }
    if (!agreed) continue;
    out.add(candidate);
    ++lists.front();
    if (lists.front() == end) return;
    candidate = *lists.front();
  }
}

/// Documents in any list: the lowest docid the lists are at, each time, until all are done.
void visit_any_of(const Xapian::Database& db, const std::vector<std::string>& terms,
                  Batcher& out) {
  const Xapian::PostingIterator end;
  std::vector<Xapian::PostingIterator> lists;
  for (const auto& term : terms) {
    if (auto list = db.postlist_begin(term); list != end) lists.push_back(std::move(list));
  }
  while (!lists.empty()) {
    Xapian::docid lowest = *lists.front();
    for (const auto& list : lists) lowest = std::min(lowest, *list);
    out.add(lowest);
    for (auto& list : lists) {
      if (*list == lowest) ++list;
    }
    std::erase_if(lists, [&end](const Xapian::PostingIterator& list) { return list == end; });
  }
}

/// The term of a single-term query.
std::optional<std::string> single_term(const Xapian::Query& query) {
  if (query.get_type() != Xapian::Query::LEAF_TERM) return std::nullopt;
  return *query.get_terms_begin();
}

struct MaskedList {
  Xapian::PostingIterator postings;
  ClauseMask bit = 0;  ///< 0 for a required term
};

}  // namespace

bool visit_clause_masks(const Xapian::Database& db, const MatchPlan& plan, std::vector<DocMask>& out) {
  if (!plan.excluded.empty() || plan.clauses.size() > kMaxRelaxedWords) return false;
  std::vector<std::string> required;
  if (!plan.required.empty()) {
    const auto terms = as_term_query(plan.required);
    if (!terms || (terms->join != Join::kAll && terms->terms.size() > 1)) return false;
    required = terms->terms;
  }
  std::vector<MaskedList> lists;
  for (std::size_t i = 0; i < plan.clauses.size(); ++i) {
    const auto term = single_term(plan.clauses[i].query);
    if (!term) return false;
    lists.push_back({db.postlist_begin(*term), ClauseMask{1} << i});
  }
  for (const auto& term : required) lists.push_back({db.postlist_begin(term), 0});
  const Xapian::PostingIterator end;
  std::erase_if(lists, [&end](const MaskedList& list) { return list.postings == end; });
  const auto required_lists = static_cast<std::size_t>(
      std::count_if(lists.begin(), lists.end(), [](const MaskedList& list) { return list.bit == 0; }));
  if (required_lists < required.size()) return true;  // a required term no document has
  while (!lists.empty()) {
    Xapian::docid lowest = *lists.front().postings;
    for (const auto& list : lists) lowest = std::min(lowest, *list.postings);
    DocMask match{lowest, 0};
    std::size_t required_here = 0;
    for (auto& list : lists) {
      if (*list.postings != lowest) continue;
      match.mask |= list.bit;
      required_here += list.bit == 0;
      ++list.postings;
    }
    if (required_here == required.size()) out.push_back(match);
    // Once a required list ends, nothing further can match.
    const auto ended = std::erase_if(lists, [&end](const MaskedList& list) { return list.postings == end; });
    if (ended != 0 && !required.empty() &&
        std::count_if(lists.begin(), lists.end(), [](const MaskedList& l) { return l.bit == 0; }) <
            static_cast<std::ptrdiff_t>(required.size())) {
      break;
    }
  }
  return true;
}

bool visit_term_matches(const Xapian::Database& db, const Xapian::Query& query,
                        const std::function<void(DocidBatch)>& visit) {
  const auto term_query = as_term_query(query);
  if (!term_query || term_query->terms.empty()) return false;
  Batcher out(visit);
  if (term_query->terms.size() == 1) {
    visit_postings(db, term_query->terms.front(), out);
  } else if (term_query->join == Join::kAll) {
    visit_all_of(db, term_query->terms, out);
  } else {
    visit_any_of(db, term_query->terms, out);
  }
  out.flush();
  return true;
}

}  // namespace clippings::search
