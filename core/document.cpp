/// @file document.cpp
#include "document.h"

#include <algorithm>

#include "schema.h"

namespace clippings {
namespace {

/// Bounds each remembered vocabulary: a news corpus's words, not every token ever seen.
constexpr std::size_t kMaxRememberedStems = 200000;

/// Words the spelling dictionary takes: 3 to 32 bytes, and no digits or symbols in the ASCII
/// part ("mother's" and "ålesund" yes; "6am", "c++" and "x" no).
bool is_spelling_word(std::string_view word) {
  if (word.size() < 3 || word.size() > 32) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x80 || (byte >= 'a' && byte <= 'z') || byte == '\'' || byte == '_';
  });
}

}  // namespace

/// A stemmer that remembers what it returned, and counts words for the spelling dictionary.
/// News text repeats a small vocabulary, and a hash lookup costs a fraction of running the
/// Snowball algorithm again. The TermGenerator hands it every word it indexes, lower-cased,
/// so it is also where the spelling words are counted, with no second pass over the text.
/// Not thread-safe, like the builder that owns it.
class DocumentBuilder::RememberingStemmer : public Xapian::StemImplementation {
 public:
  explicit RememberingStemmer(Xapian::Stem stemmer) : stemmer_(std::move(stemmer)) {}

  std::string operator()(const std::string& word) override {
    auto found = words_.find(word);
    if (found == words_.end()) {
      Entry entry{stemmer_.is_none() ? word : stemmer_(word), 0, is_spelling_word(word)};
      found = words_.emplace(word, std::move(entry)).first;
    }
    Entry& entry = found->second;
    if (counting_ && entry.spelling && entry.uncounted++ == 0) counted_.push_back(&*found);
    return entry.stem;
  }
  std::string get_description() const override {
    return "remembering " + stemmer_.get_description();
  }

  /// Whether the words stemmed from now on count for the spelling dictionary.
  void count_words(bool on) { counting_ = on; }
  /// Adds the words counted since the last call to `out`.
  void take_counts(SpellingCounts& out) {
    for (auto* word : counted_) {
      out[word->first] += word->second.uncounted;
      word->second.uncounted = 0;
    }
    counted_.clear();
    // Forgetting only between documents: no counted word is lost.
    if (words_.size() >= kMaxRememberedStems) words_.clear();
  }

 private:
  struct Entry {
    std::string stem;
    Xapian::termcount uncounted = 0;  ///< occurrences not yet taken
    bool spelling = false;            ///< is_spelling_word
  };
  Xapian::Stem stemmer_;
  std::unordered_map<std::string, Entry> words_;
  std::vector<std::pair<const std::string, Entry>*> counted_;
  bool counting_ = false;
};

DocumentBuilder::DocumentBuilder(std::string default_language)
    : default_language_(std::move(default_language)) {
  generator_.set_stemming_strategy(schema::kIndexStemming);
}

DocumentBuilder::~DocumentBuilder() = default;

DocumentBuilder::Stemmer& DocumentBuilder::stemmer(const std::string& lang) {
  auto found = stemmers_.find(lang);
  if (found == stemmers_.end()) {
    // "none" too: an identity stemmer still hands over the words (and STEM_ALL with an
    // identity stemmer indexes exactly what no stemming does).
    auto* remembering = new RememberingStemmer{schema::stemmer_for(lang, default_language_)};
    found = stemmers_.emplace(lang, Stemmer{Xapian::Stem{remembering}, remembering}).first;
  }
  return found->second;
}

IndexedDocument DocumentBuilder::build(const Article& a, SpellingCounts* spelling) {
  IndexedDocument out;
  out.id_term = schema::id_term(a.id);
  Xapian::Document& doc = out.document;
  generator_.set_document(doc);
  Stemmer& stem = stemmer(a.lang);
  generator_.set_stemmer(stem.stem);
  stem.words->count_words(false);  // even if the last build stopped half-way with an error

  // Title words: searchable as title:, and weighted above body words in the free text.
  generator_.index_text(a.title, 1, std::string{schema::kPrefixTitle});
  // The spelling dictionary takes title and body words, once each.
  stem.words->count_words(spelling != nullptr);
  generator_.index_text(a.title, schema::kTitleWeight);
  generator_.increase_termpos(schema::kFieldGap);
  generator_.index_text(a.text);
  stem.words->count_words(false);
  if (spelling) stem.words->take_counts(*spelling);
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

}  // namespace clippings
