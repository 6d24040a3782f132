/// @file wildcards.cpp
#include "search/wildcards.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

namespace clippings::search {
namespace {

using Xapian::Query;

/// Xapian 1.4 shows a wildcard's joining operator and pattern only in its description:
/// "Query(WILDCARD SYNONYM Smoth)".
std::pair<std::string, std::string> wildcard_parts(const Query& wildcard) {
  if (wildcard.get_type() != Query::OP_WILDCARD) return {};
  std::string text = wildcard.get_description();
  constexpr std::string_view kHead = "Query(WILDCARD ";
  if (!text.starts_with(kHead) || !text.ends_with(")")) return {};
  text = text.substr(kHead.size(), text.size() - kHead.size() - 1);
  const auto space = text.find(' ');
  if (space == std::string::npos) return {};
  return {text.substr(0, space), text.substr(space + 1)};
}

Query::op joining_op(const std::string& name) {
  if (name == "OR") return Query::OP_OR;
  if (name == "MAX") return Query::OP_MAX;
  return Query::OP_SYNONYM;
}

/// Operators whose subqueries are all there is to them; a wildcard under any other (a
/// weight scale, an elite set; the parser puts none there) is left to the shards.
bool rebuildable(Query::op op) {
  switch (op) {
    case Query::OP_AND: case Query::OP_OR: case Query::OP_AND_NOT: case Query::OP_XOR:
    case Query::OP_AND_MAYBE: case Query::OP_FILTER: case Query::OP_SYNONYM: case Query::OP_MAX:
      return true;
    default:
      return false;
  }
}

/// `query` with its kept wildcards expanded; nullopt when it has none.
std::optional<Query> expand(const Query& query, const KeptWords& kept) {
  const Query::op op = query.get_type();
  if (op == Query::OP_WILDCARD) {
    const auto [op_name, pattern] = wildcard_parts(query);
    const auto words = kept.find(pattern);
    if (words == kept.end()) return std::nullopt;
    return Query(joining_op(op_name), words->second.begin(), words->second.end());
  }
  if (!rebuildable(op)) return std::nullopt;
  std::vector<Query> subqueries;
  bool changed = false;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    Query sub = query.get_subquery(i);
    auto sub_expanded = expand(sub, kept);
    changed |= sub_expanded.has_value();
    subqueries.push_back(sub_expanded ? std::move(*sub_expanded) : std::move(sub));
  }
  if (!changed) return std::nullopt;
  return Query(op, subqueries.begin(), subqueries.end());
}

}  // namespace

std::string wildcard_pattern(const Xapian::Query& wildcard) { return wildcard_parts(wildcard).second; }

std::size_t keep_most_frequent(const Xapian::Database& db, const std::string& pattern, std::size_t limit,
                               KeptWords& kept) {
  // A multi-shard database sums each word's frequency over its shards.
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  for (auto it = db.allterms_begin(pattern); it != db.allterms_end(pattern); ++it) {
    found.emplace_back(it.get_termfreq(), *it);
  }
  const std::size_t keep = std::min(limit, found.size());
  if (keep < found.size()) {
    const auto more_frequent = [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(keep), found.end(), more_frequent);
  }
  std::vector<std::string>& words = kept[pattern];
  for (std::size_t i = 0; i < keep; ++i) words.push_back(std::move(found[i].second));
  return keep;
}

Xapian::Query expand_wildcards(const Xapian::Query& query, const KeptWords& kept) {
  auto with_words = expand(query, kept);
  return with_words ? std::move(*with_words) : query;
}

}  // namespace clippings::search
