/// @file budget.cpp
#include "search/budget.h"

#include <string>
#include <unordered_set>

#include "search/wildcards.h"

namespace clippings::search {
namespace {

/// The distinct terms of `query` so far, and the wildcard patterns already expanded: a word
/// parsed once per language of the index, or a pattern repeated, is read once.
struct TermCount {
  std::unordered_set<std::string> terms;
  std::unordered_set<std::string> patterns;
  std::size_t expanded = 0;  ///< terms the patterns expand to
  std::size_t total() const { return terms.size() + expanded; }
};

/// How many words `pattern` expands to in `db`, at most `limit`: read until there are more.
std::size_t words_of(const Xapian::Database& db, const std::string& pattern, std::size_t limit) {
  std::size_t words = 0;
  for (auto it = db.allterms_begin(pattern); it != db.allterms_end(pattern) && words < limit; ++it) ++words;
  return words;
}

void count(const Xapian::Database& db, const Xapian::Query& query, std::size_t per_wildcard,
           std::size_t stop_after, TermCount& counted, KeptWords* kept) {
  if (counted.total() > stop_after) return;
  const auto type = query.get_type();
  if (type == Xapian::Query::LEAF_TERM) {
    counted.terms.insert(*query.get_terms_begin());
    return;
  }
  if (type == Xapian::Query::OP_WILDCARD) {
    const std::string pattern = wildcard_pattern(query);
    if (!counted.patterns.insert(pattern).second) return;
    counted.expanded += kept ? keep_most_frequent(db, pattern, per_wildcard, *kept)
                             : words_of(db, pattern, per_wildcard);
    return;
  }
  for (std::size_t i = 0; i < query.get_num_subqueries() && counted.total() <= stop_after; ++i) {
    count(db, query.get_subquery(i), per_wildcard, stop_after, counted, kept);
  }
}

}  // namespace

std::size_t count_query_terms(const Xapian::Database& db, const Xapian::Query& query,
                              std::size_t per_wildcard, std::size_t stop_after, KeptWords* kept) {
  TermCount counted;
  count(db, query, per_wildcard, stop_after, counted, kept);
  return counted.total();
}

ConcurrencyLimit::Permit& ConcurrencyLimit::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    if (owner_) owner_->release();
    owner_ = other.owner_;
    other.owner_ = nullptr;
  }
  return *this;
}

ConcurrencyLimit::Permit::~Permit() {
  if (owner_) owner_->release();
}

std::optional<ConcurrencyLimit::Permit> ConcurrencyLimit::try_acquire() {
  std::lock_guard lock{mutex_};
  if (running_ >= limit_) return std::nullopt;
  ++running_;
  return Permit{*this};
}

std::optional<ConcurrencyLimit::Permit> ConcurrencyLimit::acquire(std::chrono::milliseconds wait,
                                                                  std::size_t max_waiting) {
  std::unique_lock lock{mutex_};
  if (running_ >= limit_) {
    if (waiting_ >= max_waiting) return std::nullopt;
    ++waiting_;
    const bool freed = freed_.wait_for(lock, wait, [this] { return running_ < limit_; });
    --waiting_;
    if (!freed) return std::nullopt;
  }
  ++running_;
  return Permit{*this};
}

std::size_t ConcurrencyLimit::running() const {
  std::lock_guard lock{mutex_};
  return running_;
}

std::size_t ConcurrencyLimit::waiting() const {
  std::lock_guard lock{mutex_};
  return waiting_;
}

void ConcurrencyLimit::release() {
  {
    std::lock_guard lock{mutex_};
    --running_;
  }
  freed_.notify_one();
}

}  // namespace clippings::search
