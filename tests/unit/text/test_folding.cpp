/// @file test_folding.cpp
/// Normalisation and folding tables, and the CJK ranges against Xapian's own tokenizer.
#include <doctest/doctest.h>

#include <xapian.h>

#include "text/folding.h"

using namespace clippings::text;

TEST_CASE("stem_form folds case, compatibility forms and Cyrillic ё") {
  struct Case {
    const char* word;
    const char* form;
  };
  const Case cases[] = {
      {"mothers", "mothers"},          // ASCII as it is
      {"жёны", "жены"},                // ё is е
      {"ёлка", "елка"},
      {"straße", "strasse"},           // full case folding
      {"ｒｕｎｎｉｎｇ", "running"},   // full-width letters
      {"ﬁnance", "finance"},           // ligature
      {"ὀδυσσεύς", "ὀδυσσεύσ"},       // final sigma; Greek accents stay until accent_fold
      {"café", "café"},                // accents are not folded here
      {"йод", "йод"},                  // й is a letter, not и with a mark
      {"київ", "київ"},
      {"cafe\u0301", "café"},          // decomposed input composes
      {"东京", "东京"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.word);
    CHECK(stem_form(c.word) == c.form);
  }
}

TEST_CASE("accent_fold removes Latin and Greek diacritics only") {
  struct Case {
    const char* term;
    const char* folded;
  };
  const Case cases[] = {
      {"café", "cafe"},       {"mères", "meres"},   {"über", "uber"},  {"señor", "senor"},
      {"øresund", "oresund"}, {"łódź", "lodz"},     {"æble", "aeble"}, {"ἀθῆναι", "αθηναι"},
      {"plain", "plain"},     {"йод", "йод"},       {"її", "її"},      {"东京", "东京"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.term);
    CHECK(accent_fold(c.term) == c.folded);
  }
}

TEST_CASE("nfc composes what arrives decomposed and leaves the rest") {
  CHECK(nfc("cafe\u0301") == "café");
  CHECK(nfc("café") == "café");
  CHECK(nfc("plain text") == "plain text");
  CHECK(nfc("е\u0308") == "ё");
}

TEST_CASE("is_cjk cuts words exactly where Xapian's CJK n-grams do") {
  // Every code point of the ranges around CJK: "a" + c + "b" is three terms for the
  // TermGenerator when c is CJK, and fewer when it is part of a word.
  Xapian::TermGenerator generator;
  generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  std::size_t checked = 0, disagreements = 0;
  for (char32_t c = 0x2E00; c <= 0x3FFFF; ++c) {
    if (!Xapian::Unicode::is_wordchar(c)) continue;  // not part of any word either way
    std::string text = "a";
    Xapian::Unicode::append_utf8(text, c);
    text += "b";
    Xapian::Document doc;
    generator.set_document(doc);
    generator.index_text(text);
    // A CJK character stands alone: "a", the character and "b".
    bool alone = false;
    std::string only;
    Xapian::Unicode::append_utf8(only, c);
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) alone |= *t == only;
    ++checked;
    if (alone != is_cjk(c)) {
      ++disagreements;
      CAPTURE(static_cast<unsigned>(c));
      CHECK(alone == is_cjk(c));
      if (disagreements > 5) break;
    }
  }
  CHECK(checked > 90000);
  CHECK(starts_cjk("东京"));
  CHECK_FALSE(starts_cjk("tokyo"));
  CHECK_FALSE(starts_cjk("москва"));
  CHECK(has_cjk("met in 东京"));
  CHECK(has_cjk("“Quoted” — then ソウル"));
  CHECK_FALSE(has_cjk("“Quoted” — in Москва, café"));
  CHECK_FALSE(has_cjk(""));
}
