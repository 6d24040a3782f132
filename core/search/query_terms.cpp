/// @file query_terms.cpp
#include "query_terms.h"

#include "schema.h"
#include "search/wildcards.h"

namespace clippings::search {
namespace {

enum class Field { kBoth, kTitle, kNone };

/// Splits Xapian's convention of an upper-case prefix before a lower-case (stemmed) term.
/// The folded and transliterated forms keep their prefix: the highlighter matches them as such.
Field field_of(std::string& term) {
  std::size_t prefix = 0;
  while (prefix < term.size() && term[prefix] >= 'A' && term[prefix] <= 'Z') ++prefix;
  if (prefix == 0) return Field::kBoth;
  const std::string_view head{term.data(), prefix};
  if (head == schema::kPrefixFolded || head == schema::kPrefixTranslit) return Field::kBoth;
  if (term.compare(0, prefix, schema::kPrefixTitle) != 0) return Field::kNone;
  term.erase(0, prefix);
  return Field::kTitle;
}

class Collector {
 public:
  explicit Collector(QueryTerms& out) : out_(out) {}

  void visit(const Xapian::Query& query) {
    switch (query.get_type()) {
      case Xapian::Query::LEAF_TERM:
        add_word(*query.get_terms_begin());
        break;
      case Xapian::Query::OP_WILDCARD:
        add_pattern(wildcard_pattern(query));
        break;
      case Xapian::Query::OP_PHRASE:
        add_phrase(query);
        break;
      // Only the positive side can be in a matching document.
      case Xapian::Query::OP_AND_NOT:
      case Xapian::Query::OP_FILTER:
        if (query.get_num_subqueries() > 0) visit(query.get_subquery(0));
        break;
      default:
        for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) visit(query.get_subquery(i));
    }
  }

 private:
  void add_word(std::string term) {
    const Field field = field_of(term);
    if (field == Field::kNone || term.empty()) return;
    if (field == Field::kBoth) out_.body.words.insert(term);
    out_.title.words.insert(std::move(term));
  }

  void add_pattern(std::string pattern) {
    const Field field = field_of(pattern);
    if (field == Field::kNone || pattern.empty()) return;
    if (field == Field::kBoth) out_.body.patterns.push_back(pattern);
    out_.title.patterns.push_back(std::move(pattern));
  }

  void add_phrase(const Xapian::Query& query) {
    // Each word of a phrase is a term, or its forms joined by OR.
    std::vector<std::vector<std::string>> words;
    Field field = Field::kBoth;
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
      const Xapian::Query word = query.get_subquery(i);
      std::vector<std::string> forms;
      for (auto it = word.get_terms_begin(); it != word.get_terms_end(); ++it) {
        std::string term = *it;
        const Field form_field = field_of(term);
        if (form_field == Field::kNone) return;
        if (form_field == Field::kTitle) field = Field::kTitle;
        forms.push_back(std::move(term));
      }
      if (forms.empty()) return;
      words.push_back(std::move(forms));
    }
    if (words.empty()) return;
    if (field == Field::kBoth) out_.body.phrases.push_back(words);
    out_.title.phrases.push_back(std::move(words));
  }

  QueryTerms& out_;
};

}  // namespace

QueryTerms query_terms(const Xapian::Query& query) {
  QueryTerms terms;
  Collector{terms}.visit(query);
  return terms;
}

}  // namespace clippings::search
