/// @file query_syntax.h
/// A lexical reading of `q` alongside Xapian's parser: which parts are plain words, phrases,
/// fields and operators, and where. Xapian's parser says whether a query is valid but not
/// where it goes wrong, nor whether a quote or bracket was left open; this reading does.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clippings::search {

/// Something about `q` the reader is told although it was searched.
struct QueryNote {
  std::string code;     ///< "unclosed_quote" or "unclosed_bracket"
  std::string message;
  std::size_t position = 0;  ///< code points into q
};

/// A mistake that makes `q` unsearchable.
struct QueryProblem {
  std::string message;
  std::size_t position = 0;  ///< code points into q
};

/// One piece of q at the top level or inside brackets.
struct QueryToken {
  enum class Kind { kWord, kPhrase, kOpen, kClose, kOperator };
  Kind kind = Kind::kWord;
  std::string_view text;     ///< as typed, with its sign and field; a phrase with its quotes
  std::string_view value;    ///< text without sign and field (a phrase without quotes)
  std::string_view field;    ///< "title", "date", ... when the token starts with "field:"
  char sign = 0;             ///< '+' or '-' in front, else 0
  std::size_t position = 0;  ///< code points into q
  std::size_t value_position = 0;
  bool has_word = false;     ///< holds a letter or digit: something to search for
};

/// q cut into tokens, and what was left open.
struct QueryScan {
  std::vector<QueryToken> tokens;
  std::vector<QueryNote> notes;
  bool unclosed_quote = false;

  /// Whether q uses operators or brackets: then it is searched exactly as written.
  bool explicit_syntax() const;
};

/// Reads `q` (valid UTF-8). `fields` are the names that take a "name:" prefix.
QueryScan scan_query(std::string_view q, std::span<const std::string_view> fields);

/// The first operator without its operands, or field without its value, in reading order;
/// nullopt when the structure is sound.
std::optional<QueryProblem> find_problem(const QueryScan& scan);

}  // namespace clippings::search
