/// @file document.cpp
#include "document.h"

#include <xapian/unicode.h>

#include "schema.h"

namespace clippings {
namespace {

/// Bounds each remembered vocabulary: a news corpus's words, not every token ever seen.
constexpr std::size_t kMaxRememberedStems = 200000;

/// A stemmer that remembers what it returned. News text repeats a small vocabulary, and a
/// hash lookup costs a fraction of running the Snowball algorithm again: it takes about a
/// sixth off the time to build a document. Not thread-safe, like the builder that owns it.
class RememberingStemmer : public Xapian::StemImplementation {
 public:
  explicit RememberingStemmer(Xapian::Stem stemmer) : stemmer_(std::move(stemmer)) {}

  std::string operator()(const std::string& word) override {
    auto found = stems_.find(word);
    if (found != stems_.end()) return found->second;
    if (stems_.size() >= kMaxRememberedStems) stems_.clear();
    return stems_.emplace(word, stemmer_(word)).first->second;
  }
  std::string get_description() const override {
    return "remembering " + stemmer_.get_description();
  }

 private:
  Xapian::Stem stemmer_;
  std::unordered_map<std::string, std::string> stems_;
};

Xapian::Stem remembering(Xapian::Stem stemmer) {
  if (stemmer.is_none()) return stemmer;
  return Xapian::Stem{new RememberingStemmer{std::move(stemmer)}};
}

bool is_ascii_wordchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

DocumentBuilder::DocumentBuilder(std::string default_language)
    : default_language_(std::move(default_language)) {
  generator_.set_stemming_strategy(schema::kIndexStemming);
}

const Xapian::Stem& DocumentBuilder::stemmer(const std::string& lang) {
  auto found = stemmers_.find(lang);
  if (found == stemmers_.end()) {
    found = stemmers_.emplace(lang, remembering(schema::stemmer_for(lang, default_language_))).first;
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
  return out;
}

void collect_spelling(std::string_view text, SpellingCounts& out) {
  std::string word;
  bool alphabetic = true;
  auto flush = [&] {
    if (alphabetic && word.size() >= 3 && word.size() <= 32) ++out[word];
    word.clear();
    alphabetic = true;
  };
  // The same word characters as the TermGenerator's; ASCII, most of any news text, is
  // classified inline rather than through the Unicode tables.
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      ++pos;
      if (is_ascii_wordchar(byte)) {
        if (byte >= '0' && byte <= '9') alphabetic = false;
        word += static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte + ('a' - 'A') : byte);
      } else if (!word.empty()) {
        flush();
      }
      continue;
    }
    Xapian::Utf8Iterator it{text.data() + pos, text.size() - pos};
    const unsigned ch = *it;
    pos = static_cast<std::size_t>((++it).raw() - text.data());
    if (Xapian::Unicode::is_wordchar(ch)) {
      if (Xapian::Unicode::get_category(ch) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER) alphabetic = false;
      Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(ch));
    } else if (!word.empty()) {
      flush();
    }
  }
  if (!word.empty()) flush();
}

void collect_spelling(const Article& article, SpellingCounts& out) {
  collect_spelling(article.title, out);
  collect_spelling(article.text, out);
}

}  // namespace clippings
