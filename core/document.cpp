/// @file document.cpp
#include "document.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "schema.h"
#include "stemming.h"
#include "text/folding.h"
#include "text/minhash.h"
#include "text/transliteration.h"

namespace clippings {
namespace {

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
/// The counts stay in the remembered words until taken, so a bulk load that takes them once
/// per run does one map update per distinct word, not one per word of every document.
///
/// For the same reason it adds a word's other forms (Forms) to the document while a text is
/// indexed: the TermGenerator knows only one term per word. A plain ASCII word has none, so
/// English text costs one test per word here.
/// Not thread-safe, like the builder that owns it.
class DocumentBuilder::RememberingStemmer : public Xapian::StemImplementation {
 public:
  RememberingStemmer(std::string lang, std::size_t max_words)
      : lang_(std::move(lang)), stemmer_(word_stemmer(stemmer_name(lang_))), max_words_(max_words) {}

  std::string operator()(const std::string& word) override {
    auto found = words_.find(word);
    if (found == words_.end()) found = words_.emplace(word, make_entry(word)).first;
    Entry& entry = found->second;
    if (counting_ && entry.spelling && entry.uncounted++ == 0) counted_.push_back(word);
    if (target_ != nullptr && entry.forms) add_forms(*entry.forms);
    return entry.stem;
  }
  std::string get_description() const override {
    return "remembering " + stemmer_.get_description();
  }

  /// Whether the words stemmed from now on count for the spelling dictionary.
  void count_words(bool on) { counting_ = on; }
  /// While `doc` is set, the words stemmed add their other forms to it, at the positions
  /// `generator` gives them, with the within-document frequency `wdf` each.
  void add_forms_to(Xapian::Document* doc, const Xapian::TermGenerator* generator,
                    Xapian::termcount wdf = 1) {
    target_ = doc;
    generator_ = generator;
    wdf_ = wdf;
  }
  /// Adds the words counted since the last call to `out`.
  void take_counts(SpellingCounts& out) {
    for (auto& word : counted_) {
      // Still remembered: forget_if_full() takes the counts before it forgets.
      Entry& entry = words_.find(word)->second;
      out[std::move(word)] += std::exchange(entry.uncounted, 0);
    }
    counted_.clear();
  }
  /// Distinct words counted and not yet taken.
  std::size_t counted_words() const { return counted_.size(); }
  /// Once the vocabulary is full, forgets every word, handing its counts to `out` first.
  void forget_if_full(SpellingCounts& out) {
    if (words_.size() < max_words_) return;
    take_counts(out);
    words_.clear();
  }

 private:
  /// The terms of a word besides its stem (empty: none of that kind).
  struct Forms {
    std::string exact;     ///< kPrefixExact + the word as written (lower-cased)
    std::string folded;    ///< kPrefixFolded + the stem without accents
    std::string translit;  ///< kPrefixTranslit + the Latin key of a Cyrillic word
  };
  struct Entry {
    std::string stem;
    std::unique_ptr<Forms> forms;     ///< only for words that have some: non-ASCII ones
    Xapian::termcount uncounted = 0;  ///< occurrences not yet taken
    bool spelling = false;            ///< is_spelling_word
  };

  Entry make_entry(const std::string& word) {
    Entry entry{stemmer_(word), nullptr, 0, is_spelling_word(word)};
    // ASCII words have no accents to fold and no Cyrillic to transliterate, and their exact
    // form is not worth its size (docs/BENCHMARKS.md); CJK n-grams are their own exact form.
    if (text::is_ascii(word) || text::starts_cjk(word)) return entry;
    auto forms = std::make_unique<Forms>();
    forms->exact = std::string{schema::kPrefixExact} + word;
    if (std::string folded = text::accent_fold(entry.stem); folded != entry.stem) {
      forms->folded = std::string{schema::kPrefixFolded} + folded;
    }
    if (text::has_cyrillic(word)) {
      std::string key = text::translit_key(text::romanize(entry.stem, lang_));
      if (!key.empty()) forms->translit = std::string{schema::kPrefixTranslit} + key;
    }
    entry.forms = std::move(forms);
    return entry;
  }

  void add_forms(const Forms& forms) {
    // The TermGenerator gives this word the position after the current one.
    const Xapian::termpos pos = generator_->get_termpos() + 1;
    if (forms.exact.size() <= schema::kMaxTermBytes) target_->add_term(forms.exact, wdf_);
    if (!forms.folded.empty() && forms.folded.size() <= schema::kMaxTermBytes) {
      target_->add_posting(forms.folded, pos, wdf_);
    }
    if (!forms.translit.empty() && forms.translit.size() <= schema::kMaxTermBytes) {
      target_->add_posting(forms.translit, pos, wdf_);
    }
  }

  std::string lang_;
  Xapian::Stem stemmer_;
  std::size_t max_words_;
  // A flat table: std::unordered_map's lookups chase a pointer to the previous node, a
  // cache miss on most words, and this lookup runs for every word indexed.
  absl::flat_hash_map<std::string, Entry> words_;
  std::vector<std::string> counted_;  ///< words whose `uncounted` went from 0 to 1
  bool counting_ = false;
  Xapian::Document* target_ = nullptr;
  const Xapian::TermGenerator* generator_ = nullptr;
  Xapian::termcount wdf_ = 1;
};

DocumentBuilder::DocumentBuilder(std::string default_language, std::size_t remembered_words)
    : default_language_(std::move(default_language)), remembered_words_(remembered_words) {
  generator_.set_stemming_strategy(schema::kIndexStemming);
}

DocumentBuilder::~DocumentBuilder() = default;

DocumentBuilder::Stemmer& DocumentBuilder::stemmer(const std::string& lang) {
  auto found = stemmers_.find(lang);
  if (found == stemmers_.end()) {
    // "none" too: an identity stemmer still hands over the words (and STEM_ALL with an
    // identity stemmer indexes exactly what no stemming does).
    auto* remembering = new RememberingStemmer{lang.empty() ? default_language_ : lang, remembered_words_};
    found = stemmers_.emplace(lang, Stemmer{Xapian::Stem{remembering}, remembering}).first;
  }
  return found->second;
}

IndexedDocument DocumentBuilder::build(const Article& a, bool count_spelling) {
  IndexedDocument out;
  out.id_term = schema::id_term(a.id);
  Xapian::Document& doc = out.document;
  generator_.set_document(doc);
  // With CJK n-grams on, Xapian's tokenizer makes a call per character to test it for CJK;
  // text without any is indexed the same with them off (tests/unit/base/test_document.cpp).
  const bool cjk = text::has_cjk(a.title) || text::has_cjk(a.text) || text::has_cjk(a.author) ||
                   text::has_cjk(a.outlet);
  generator_.set_flags(cjk ? schema::kIndexFlags
                           : schema::kIndexFlags & ~Xapian::TermGenerator::FLAG_CJK_NGRAM);
  Stemmer& stem = stemmer(a.lang);
  generator_.set_stemmer(stem.stem);
  // Even if the last build stopped half-way with an error.
  stem.words->count_words(false);
  stem.words->add_forms_to(nullptr, nullptr);
  stem.words->forget_if_full(forgotten_);

  // Title words: searchable as title:, and weighted above body words in the free text.
  generator_.index_text(a.title, 1, std::string{schema::kPrefixTitle});
  // The spelling dictionary takes title and body words, once each, and so do the other forms.
  stem.words->count_words(count_spelling);
  stem.words->add_forms_to(&doc, &generator_, schema::kTitleWeight);
  generator_.index_text(a.title, schema::kTitleWeight);
  generator_.increase_termpos(schema::kFieldGap);
  stem.words->add_forms_to(&doc, &generator_);
  generator_.index_text(a.text);
  stem.words->add_forms_to(nullptr, nullptr);
  stem.words->count_words(false);
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
  if (indexed_time_) doc.add_value(schema::kSlotIndexed, schema::indexed_value(*indexed_time_));
  // The text alone: a copy's headline and byline are what outlets change first.
  if (auto signature = text::signature_of(a.text)) {
    doc.add_value(schema::kSlotSignature, text::encode_signature(*signature));
  }
  doc.set_data(to_stored_data(a));
  return out;
}

void keep_indexed_time(const Xapian::Document& previous, Xapian::Document& doc) {
  const std::string first = previous.get_value(schema::kSlotIndexed);
  if (first.empty()) {
    // Xapian throws when asked to remove a value that is not there.
    if (!doc.get_value(schema::kSlotIndexed).empty()) doc.remove_value(schema::kSlotIndexed);
  } else {
    doc.add_value(schema::kSlotIndexed, first);
  }
}

SpellingCounts DocumentBuilder::take_spelling() {
  SpellingCounts counts = std::exchange(forgotten_, {});
  for (auto& [lang, stem] : stemmers_) stem.words->take_counts(counts);
  return counts;
}

std::size_t DocumentBuilder::spelling_words() const {
  std::size_t words = forgotten_.size();
  for (const auto& [lang, stem] : stemmers_) words += stem.words->counted_words();
  return words;
}

}  // namespace clippings
