/// @file document.cpp
#include "document.h"

#include <xapian/unicode.h>

#include "schema.h"

namespace clippings {

DocumentBuilder::DocumentBuilder(std::string default_language)
    : default_language_(std::move(default_language)) {
  generator_.set_stemming_strategy(schema::kIndexStemming);
}

const Xapian::Stem& DocumentBuilder::stemmer(const std::string& lang) {
  auto found = stemmers_.find(lang);
  if (found == stemmers_.end()) {
    found = stemmers_.emplace(lang, schema::stemmer_for(lang, default_language_)).first;
  }
  return found->second;
}

IndexedDocument DocumentBuilder::build(const Article& a) {
  IndexedDocument out;
  out.id_term = schema::id_term(a.id);
  Xapian::Document& doc = out.document;
  generator_.set_document(doc);
  generator_.set_stemmer(stemmer(a.lang));

  // Title words: searchable as title:, and weighted above body words in the free text.
  generator_.index_text(a.title, 1, std::string{schema::kPrefixTitle});
  generator_.index_text(a.title, schema::kTitleWeight);
  generator_.increase_termpos(schema::kFieldGap);
  generator_.index_text(a.text);
  generator_.increase_termpos(schema::kFieldGap);
  // Field-only words: outlet and author do not match plain queries, only outlet:/author:.
  // They keep positions so that outlet:"valley wire" works as a phrase.
  generator_.index_text(a.author, 1, std::string{schema::kPrefixAuthor});
  generator_.increase_termpos(schema::kFieldGap);
  generator_.index_text(a.outlet, 1, std::string{schema::kPrefixOutletText});

  doc.add_boolean_term(out.id_term);
  if (!a.url.empty()) doc.add_boolean_term(schema::boolean_term(schema::kPrefixUrl, a.url));
  if (!a.outlet.empty()) {
    doc.add_boolean_term(schema::outlet_term(a.outlet));
    doc.add_value(schema::kSlotOutlet, a.outlet);
  }
  if (!a.lang.empty()) doc.add_boolean_term(schema::boolean_term(schema::kPrefixLang, a.lang));
  if (!a.date.empty()) doc.add_value(schema::kSlotDate, schema::date_value(a.date));
  if (!a.source_file.empty()) {
    doc.add_boolean_term(schema::boolean_term(schema::kPrefixSource, a.source_file));
    doc.add_value(schema::kSlotSource, a.source_file);
  }
  doc.set_data(to_stored_data(a));

  collect_spelling(a.title, out.spelling);
  collect_spelling(a.text, out.spelling);
  return out;
}

void collect_spelling(const std::string& text,
                      std::unordered_map<std::string, Xapian::termcount>& out) {
  std::string word;
  bool alphabetic = true;
  auto flush = [&] {
    if (alphabetic && word.size() >= 3 && word.size() <= 32) ++out[word];
    word.clear();
    alphabetic = true;
  };
  for (Xapian::Utf8Iterator it{text}; it != Xapian::Utf8Iterator{}; ++it) {
    const unsigned ch = *it;
    if (Xapian::Unicode::is_wordchar(ch)) {
      if (Xapian::Unicode::get_category(ch) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER) alphabetic = false;
      Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(ch));
    } else if (!word.empty()) {
      flush();
    }
  }
  if (!word.empty()) flush();
}

}  // namespace clippings
