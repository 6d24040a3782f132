/// @file query_syntax.cpp
#include "search/query_syntax.h"

#include <algorithm>

#include <fmt/format.h>
#include <utf8.h>
#include <xapian.h>

namespace clippings::search {
namespace {

using Kind = QueryToken::Kind;

/// Boolean operators as Xapian reads them: in capitals only (FLAG_BOOLEAN_ANY_CASE is off).
constexpr std::string_view kBinaryOperators[] = {"AND", "OR", "XOR"};
constexpr std::string_view kNot = "NOT";

bool is_operator(std::string_view word) {
  if (word == kNot) return true;
  if (std::find(std::begin(kBinaryOperators), std::end(kBinaryOperators), word) !=
      std::end(kBinaryOperators)) {
    return true;
  }
  // NEAR, ADJ and their "/N" forms group words by position.
  for (const std::string_view positional : {"NEAR", "ADJ"}) {
    if (word == positional ||
        (word.starts_with(positional) && word.size() > positional.size() + 1 &&
         word[positional.size()] == '/' &&
         word.find_first_not_of("0123456789", positional.size() + 1) == std::string_view::npos)) {
      return true;
    }
  }
  return false;
}

class Scanner {
 public:
  Scanner(std::string_view q, std::span<const std::string_view> fields) : q_(q), fields_(fields) {}

  QueryScan run() {
    std::vector<std::size_t> open_brackets;
    while (skip_space()) {
      const std::size_t start = at_;
      if (q_[at_] == '(' || q_[at_] == ')') {
        const bool open = q_[at_] == '(';
        add_bracket(start, open, open_brackets);
        ++at_;
        continue;
      }
      QueryToken token;
      token.position = position(start);
      if ((q_[at_] == '+' || q_[at_] == '-') && at_ + 1 < q_.size() && !space_at(at_ + 1)) {
        token.sign = q_[at_++];
      }
      read_field(token);
      token.value_position = position(at_);
      if (at_ < q_.size() && q_[at_] == '(') {
        // "title:(x y)" or "-(x y)": the prefix applies to a group.
        add_bracket(start, true, open_brackets);
        ++at_;
        continue;
      }
      if (at_ < q_.size() && q_[at_] == '"') {
        read_phrase(token);
      } else {
        read_word(token);
      }
      token.text = q_.substr(start, at_ - start);
      token.has_word = has_word(token.value);
      scan_.tokens.push_back(token);
    }
    if (!open_brackets.empty()) {
      scan_.notes.push_back({"unclosed_bracket",
                             "a bracket is not closed: it was taken to close at the end", open_brackets.front()});
    }
    return std::move(scan_);
  }

 private:
  /// Skips whitespace; false at the end of q.
  bool skip_space() {
    while (at_ < q_.size() && space_at(at_)) advance();
    return at_ < q_.size();
  }

  bool space_at(std::size_t at) const {
    auto it = q_.begin() + static_cast<std::ptrdiff_t>(at);
    return Xapian::Unicode::is_whitespace(utf8::unchecked::peek_next(it));
  }

  void advance() {
    auto it = q_.begin() + static_cast<std::ptrdiff_t>(at_);
    utf8::unchecked::next(it);
    at_ = static_cast<std::size_t>(it - q_.begin());
  }

  /// Code points before byte `at`.
  std::size_t position(std::size_t at) const {
    return static_cast<std::size_t>(std::count_if(q_.begin(), q_.begin() + static_cast<std::ptrdiff_t>(at),
                                                  [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  }

  static bool has_word(std::string_view text) {
    for (auto it = text.begin(); it != text.end();) {
      if (Xapian::Unicode::is_wordchar(utf8::unchecked::next(it))) return true;
    }
    return false;
  }

  void add_bracket(std::size_t start, bool open, std::vector<std::size_t>& open_brackets) {
    QueryToken token;
    token.kind = open ? Kind::kOpen : Kind::kClose;
    token.text = q_.substr(start, at_ + 1 - start);
    token.position = token.value_position = position(start);
    if (open) {
      open_brackets.push_back(position(at_));
    } else if (!open_brackets.empty()) {
      open_brackets.pop_back();
    }
    scan_.tokens.push_back(token);
  }

  void read_field(QueryToken& token) {
    const std::string_view rest = q_.substr(at_);
    for (const std::string_view field : fields_) {
      if (rest.size() > field.size() && rest.starts_with(field) && rest[field.size()] == ':') {
        token.field = field;
        at_ += field.size() + 1;
        return;
      }
    }
  }

  void read_phrase(QueryToken& token) {
    token.kind = Kind::kPhrase;
    const std::size_t quote = at_;
    const std::size_t close = q_.find('"', quote + 1);
    if (close == std::string_view::npos) {
      scan_.unclosed_quote = true;
      scan_.notes.push_back({"unclosed_quote",
                             "a quote is not closed: the phrase was taken to run to the end",
                             position(quote)});
      token.value = q_.substr(quote + 1);
      at_ = q_.size();
      return;
    }
    token.value = q_.substr(quote + 1, close - quote - 1);
    at_ = close + 1;
  }

  void read_word(QueryToken& token) {
    const std::size_t start = at_;
    while (at_ < q_.size() && !space_at(at_) && q_[at_] != ')') advance();
    token.value = q_.substr(start, at_ - start);
    if (token.sign == 0 && token.field.empty() && is_operator(token.value)) {
      token.kind = Kind::kOperator;
    }
  }

  std::string_view q_;
  std::span<const std::string_view> fields_;
  std::size_t at_ = 0;
  QueryScan scan_;
};

/// One item of a bracket level: an operand (a word, phrase or non-empty group) or an operator.
struct Item {
  const QueryToken* op = nullptr;  ///< null for an operand
  bool operand = false;
};

class ProblemFinder {
 public:
  explicit ProblemFinder(const QueryScan& scan) : tokens_(scan.tokens) {}

  std::optional<QueryProblem> run() {
    for (const QueryToken& token : tokens_) {
      if (token.kind == Kind::kWord && !token.field.empty() &&
          (token.field == "date" ? token.value.empty() : !token.has_word)) {
        note({fmt::format("{}: needs a {} after it", token.field,
                          token.field == "date" ? "date" : "word"),
              token.position});
      }
    }
    std::size_t at = 0;
    level(at);
    return problem_;
  }

 private:
  /// Checks one bracket level starting at `at`; returns whether it holds an operand.
  bool level(std::size_t& at) {
    std::vector<Item> items;
    while (at < tokens_.size()) {
      const QueryToken& token = tokens_[at++];
      if (token.kind == Kind::kClose) break;
      if (token.kind == Kind::kOpen) {
        items.push_back({nullptr, level(at)});
      } else if (token.kind == Kind::kOperator) {
        items.push_back({&token, false});
      } else {
        items.push_back({nullptr, token.has_word});
      }
    }
    check(items);
    return std::any_of(items.begin(), items.end(), [](const Item& item) { return item.operand; });
  }

  void check(const std::vector<Item>& items) {
    const auto operand_at = [&items](std::size_t k) { return k < items.size() && items[k].operand; };
    const auto not_at = [&items](std::size_t k) {
      return k < items.size() && items[k].op && items[k].op->value == kNot;
    };
    for (std::size_t k = 0; k < items.size(); ++k) {
      const QueryToken* op = items[k].op;
      if (!op) continue;
      if (op->value == kNot) {
        if (!operand_at(k + 1)) note({"NOT needs a word after it", op->position});
        continue;
      }
      if (std::find(std::begin(kBinaryOperators), std::end(kBinaryOperators), op->value) ==
          std::end(kBinaryOperators)) {
        continue;  // NEAR and ADJ without words around them are read as words
      }
      const bool before = k > 0 && operand_at(k - 1);
      const bool after = operand_at(k + 1) || (not_at(k + 1) && operand_at(k + 2));
      if (!before || !after) {
        note({fmt::format("{} needs a word on both sides", op->value), op->position});
      }
    }
  }

  void note(QueryProblem problem) {
    if (!problem_ || problem.position < problem_->position) problem_ = std::move(problem);
  }

  const std::vector<QueryToken>& tokens_;
  std::optional<QueryProblem> problem_;
};

}  // namespace

bool QueryScan::explicit_syntax() const {
  return std::any_of(tokens.begin(), tokens.end(),
                     [](const QueryToken& t) { return t.kind != Kind::kWord && t.kind != Kind::kPhrase; });
}

QueryScan scan_query(std::string_view q, std::span<const std::string_view> fields) {
  return Scanner{q, fields}.run();
}

std::optional<QueryProblem> find_problem(const QueryScan& scan) {
  return ProblemFinder{scan}.run();
}

}  // namespace clippings::search
