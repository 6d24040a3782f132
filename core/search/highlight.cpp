/// @file highlight.cpp
#include "search/highlight.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>

#include <xapian/unicode.h>

#include "ascii.h"
#include "schema.h"
#include "search/searcher.h"
#include "text/folding.h"
#include "text/transliteration.h"

namespace clippings {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace clippings

namespace clippings::search {
namespace {

constexpr std::string_view kMarkOpen = "<mark>";
constexpr std::string_view kMarkClose = "</mark>";
constexpr std::string_view kEllipsis = "…";
/// Bounds the stem cache: the vocabulary of a news corpus, not every token ever seen.
constexpr std::size_t kMaxCachedStems = 50000;
/// How far into a text a snippet looks for matches before settling (see snippet()).
constexpr std::size_t kSnippetScanChars = 6000;

/// Words the TermGenerator stems: those starting with a letter (not "2022", not "1,000").
bool should_stem(unsigned first_char) {
  using U = Xapian::Unicode::category;
  constexpr unsigned kMask = (1u << U::LOWERCASE_LETTER) | (1u << U::TITLECASE_LETTER) |
                             (1u << U::MODIFIER_LETTER) | (1u << U::OTHER_LETTER);
  return (kMask >> Xapian::Unicode::get_category(first_char)) & 1u;
}

struct CodePoint {
  unsigned ch;
  std::size_t bytes;
};

CodePoint decode(std::string_view text, std::size_t pos) {
  const auto byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x80) return {byte, 1};
  const Xapian::Utf8Iterator it{text.data() + pos, text.size() - pos};
  Xapian::Utf8Iterator next = it;
  return {*it, static_cast<std::size_t>((++next).raw() - it.raw())};
}

bool is_wordchar(unsigned ch) {
  if (ch < 0x80) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
  }
  return Xapian::Unicode::is_wordchar(ch);
}

void append_lower(std::string& out, unsigned ch) {
  if (ch < 0x80) {
    out += ascii_lower(static_cast<char>(ch));
  } else {
    Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(ch));
  }
}

bool is_apostrophe(unsigned ch) { return ch == '\'' || ch == 0x2019 || ch == 0x201b; }

bool is_digit(unsigned ch) {
  if (ch < 0x80) return ch >= '0' && ch <= '9';
  return Xapian::Unicode::get_category(ch) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'; }

/// Appends escaped `text`; `collapse` turns each run of whitespace into one space.
void append_escaped(std::string& out, std::string_view text, bool collapse) {
  if (!collapse) {
    out += escape_html(text);
    return;
  }
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      out += ' ';
      while (i < text.size() && is_space(text[i])) ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && !is_space(text[j])) ++j;
    out += escape_html(text.substr(i, j - i));
    i = j;
  }
}

/// Reads the word starting at `pos` (a word character) and returns where it ends, counting
/// its characters into `chars` and appending its lower-case form to `lower` if given.
std::size_t read_word(std::string_view text, std::size_t pos, std::size_t& chars,
                      std::string* lower) {
  unsigned previous = 0;
  while (pos < text.size()) {
    const CodePoint cp = decode(text, pos);
    unsigned ch = cp.ch;
    // A CJK character is a word of its own, as the TermGenerator's n-grams make it.
    if (text::is_cjk(ch) && previous != 0) break;
    if (text::is_cjk(ch)) {
      if (lower != nullptr) lower->append(text.data() + pos, cp.bytes);
      ++chars;
      return pos + cp.bytes;
    }
    if (!is_wordchar(ch)) {
      if (pos + cp.bytes >= text.size()) break;
      const unsigned next = decode(text, pos + cp.bytes).ch;
      const bool joins = is_wordchar(next) &&
                         ((is_apostrophe(ch) && !is_digit(previous) && !is_digit(next)) ||
                          ((ch == ',' || ch == '.') && is_digit(previous) && is_digit(next)));
      if (!joins) break;
      if (is_apostrophe(ch)) ch = '\'';
    }
    if (lower != nullptr) append_lower(*lower, ch);
    previous = ch;
    pos += cp.bytes;
    ++chars;
  }
  return pos;
}

/// Where the run of ASCII word characters starting at `pos` ends.
std::size_t ascii_run_end(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte >= 0x80 || !is_wordchar(byte)) break;
    ++pos;
  }
  return pos;
}

/// Whether a word may go on past the ASCII run ending at `end`, by read_word()'s rules: a
/// non-ASCII byte (a letter, or a curly apostrophe), an apostrophe, or a comma or dot after a
/// digit. Otherwise the run is the whole word.
bool may_go_on(std::string_view text, std::size_t end) {
  if (end == text.size()) return false;
  const char c = text[end];
  if (static_cast<unsigned char>(c) >= 0x80 || c == '\'') return true;
  return (c == ',' || c == '.') && text[end - 1] >= '0' && text[end - 1] <= '9';
}

/// Whether the text between two words ends a sentence or a paragraph: ". ", "? ", "!\n", "\n\n".
bool ends_sentence(std::string_view gap) {
  const auto stop = gap.find_first_of(".!?");
  if (stop != std::string_view::npos && stop + 1 < gap.size() && is_space(gap[stop + 1])) return true;
  return gap.find("\n\n") != std::string_view::npos;
}

bool contains(const std::vector<std::string>& forms, const std::string& term) {
  return !term.empty() && std::find(forms.begin(), forms.end(), term) != forms.end();
}

bool starts_with_any(const std::string& word, const std::vector<std::string>& patterns) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&word](const std::string& p) { return word.starts_with(p); });
}

/// Stemmers whose stems of ASCII words start with the word's first byte and are never longer
/// than the word: the English ones change endings only ("lying" -> "lie"), and "none" changes
/// nothing (folding stemmers fold only what is not ASCII). Others do not qualify: German drops
/// umlauts ("über" -> "uber"), Spanish accents, Arabic prefixes.
bool keeps_first_byte(const Xapian::Stem& stemmer) {
  std::string name = stemmer.get_description();
  // word_stemmer()'s wrap Xapian's: "Xapian::Stem(folding Xapian::Stem(english))".
  constexpr std::string_view kFolding = "Xapian::Stem(folding ";
  if (name.starts_with(kFolding) && name.ends_with(')')) {
    name = name.substr(kFolding.size(), name.size() - kFolding.size() - 1);
  }
  return stemmer.is_none() || name == "Xapian::Stem(none)" || name == "Xapian::Stem(english)" ||
         name == "Xapian::Stem(porter)";
}

/// The prefixed forms (folded, transliterated) and plain stems are both in TermSet::words;
/// only plain ones say anything about a word's first byte.
bool is_form(const std::string& term) {
  return term.starts_with(schema::kPrefixFolded) || term.starts_with(schema::kPrefixTranslit);
}

/// Rules out the words that cannot match before their stems are looked up, which is most
/// words: looking up every word in the stem cache was over a third of a search's time on
/// long articles. With a stemmer that keeps_first_byte(), an ASCII word can equal a stem or a
/// phrase word, or start with a wildcard prefix, only if it starts with the same byte and is
/// at least as long. Words that start with a non-ASCII byte are folded before they are
/// stemmed, and may have folded or transliterated forms: they always pass.
class Prefilter {
 public:
  /// `first_byte_kept`: the stemmer keeps_first_byte(). With no terms, no word passes.
  Prefilter(const TermSet& terms, bool first_byte_kept) {
    const bool none = terms.empty();
    shortest_.fill(none || first_byte_kept ? kNoTerm : 0);
    if (none || !first_byte_kept) return;
    std::fill(shortest_.begin() + 0x80, shortest_.end(), 0);
    for (const auto& word : terms.words) {
      if (!is_form(word)) add(word);
    }
    for (const auto& pattern : terms.patterns) add(pattern);
    for (const auto& phrase : terms.phrases) {
      for (const auto& forms : phrase) {
        for (const auto& form : forms) {
          if (!is_form(form)) add(form);
        }
      }
    }
  }
  /// Whether a word may match, from its lower-cased form's first byte and length in bytes.
  bool may_match(char first, std::size_t size) const {
    return size >= shortest_[static_cast<unsigned char>(first)];
  }

 private:
  static constexpr std::size_t kNoTerm = SIZE_MAX;
  void add(const std::string& term) {
    if (term.empty()) {  // matches everything: let every word through
      shortest_.fill(0);
      return;
    }
    auto& shortest = shortest_[static_cast<unsigned char>(term.front())];
    shortest = std::min(shortest, term.size());
  }
  /// Per first byte, the length of the shortest term starting with it.
  std::array<std::size_t, 256> shortest_;
};

/// Reads the word starting at `pos` (a word character) as read_word() does, and returns
/// whether `filter` lets it through, with its lower-case form in `lower` if so. Most words are
/// plain ASCII: those are lower-cased only once they pass, the others as they are decoded.
bool read_candidate(std::string_view text, std::size_t& pos, std::size_t& chars,
                    const Prefilter& filter, std::string& lower) {
  const std::size_t begin = pos;
  lower.clear();
  const std::size_t run_end = ascii_run_end(text, pos);
  if (run_end == pos || may_go_on(text, run_end)) {
    pos = read_word(text, pos, chars, &lower);
    return filter.may_match(lower.front(), lower.size());
  }
  chars += run_end - begin;
  pos = run_end;
  if (!filter.may_match(ascii_lower(text[begin]), run_end - begin)) return false;
  for (std::size_t i = begin; i < run_end; ++i) lower += ascii_lower(text[i]);
  return true;
}

}  // namespace

Highlighter::Highlighter(Xapian::Stem stemmer) {
  Language& one = languages_[""];
  one.stemmer = std::move(stemmer);
  one.prefilter = keeps_first_byte(one.stemmer);
}

Highlighter::Highlighter(const IndexLanguages& languages) : index_(languages) {}

Highlighter::Language& Highlighter::language(const std::string& lang) {
  if (!index_) return languages_.begin()->second;
  auto found = languages_.find(lang);
  if (found != languages_.end()) return found->second;
  Language& made = languages_[lang];
  const std::string& name = index_->stemmer_of(lang);
  // Scheme 1 stemmed words as they were (stemming.h).
  made.forms = index_->scheme >= 2;
  made.stemmer = made.forms ? word_stemmer(name) : name == "none" ? Xapian::Stem{} : Xapian::Stem{name};
  made.lang = lang;
  made.prefilter = keeps_first_byte(made.stemmer);
  return made;
}

const Highlighter::Keys& Highlighter::keys(const std::string& lower_word) {
  Language& language = *current_;
  auto found = language.keys.find(lower_word);
  if (found != language.keys.end()) return found->second;
  Keys keys;
  const bool stemmed = should_stem(*Xapian::Utf8Iterator{lower_word});
  keys.stem = stemmed ? language.stemmer(lower_word) : lower_word;
  // The forms DocumentBuilder adds beside the stem, for words that are not ASCII.
  if (language.forms && !text::is_ascii(lower_word) && !text::starts_cjk(lower_word)) {
    if (std::string folded = text::accent_fold(keys.stem); folded != keys.stem) {
      keys.folded = std::string{schema::kPrefixFolded} + folded;
    }
    if (text::has_cyrillic(lower_word)) {
      keys.translit = std::string{schema::kPrefixTranslit} +
                      text::translit_key(text::romanize(keys.stem, language.lang));
    }
  }
  return language.keys.emplace(lower_word, std::move(keys)).first->second;
}

Highlighter::Analysis Highlighter::analyse(std::string_view text, const TermSet& terms,
                                           std::size_t stop_after, std::size_t window) {
  // Words as the TermGenerator sees them: runs of word characters, joined across an
  // apostrophe between letters ("mother's") and a comma or dot between digits ("1,000").
  Analysis analysis;
  std::vector<Word>& words = analysis.words;
  // Per word, for phrases: its terms (empty for a word that was ruled out).
  std::vector<Keys> phrase_keys;
  const bool matching = !terms.empty();
  const Prefilter prefilter{terms, current_->prefilter};
  if (current_->keys.size() > kMaxCachedStems) current_->keys.clear();
  std::unordered_map<std::string, std::uint32_t> ids;  // what matched -> dense id
  auto id_of = [&ids](const std::string& key) {
    // try_emplace copies the key only for a new match, not for every repeat of one.
    return ids.try_emplace(key, static_cast<std::uint32_t>(ids.size() + 1)).first->second;
  };

  // ASCII is decoded inline: it is most of the text and this runs on every result page.
  std::size_t pos = 0, chars = 0;
  bool seen_match = false;
  std::string lower;
  // About one word per six bytes of news text: saves the vector's regrowth on long articles.
  words.reserve(std::min(text.size(), stop_after) / 6 + 16);
  while (pos < text.size()) {
    const CodePoint cp = decode(text, pos);
    if (!is_wordchar(cp.ch)) {
      pos += cp.bytes;
      ++chars;
      continue;
    }
    Word word;
    word.begin = pos;
    word.char_begin = chars;
    word.cjk = text::is_cjk(cp.ch);
    const bool may_match = read_candidate(text, pos, chars, prefilter, lower);
    word.end = pos;
    word.char_end = chars;
    const Keys* keys = may_match ? &this->keys(lower) : nullptr;
    if (keys != nullptr && !word.cjk) {
      const std::string& key = keys->stem;
      if (terms.words.count(key) != 0) {
        word.match = id_of(key);
      } else if (!keys->folded.empty() && terms.words.count(keys->folded) != 0) {
        word.match = id_of(keys->folded);
      } else if (!keys->translit.empty() && terms.words.count(keys->translit) != 0) {
        word.match = id_of(keys->translit);
      } else if (starts_with_any(key, terms.patterns) || starts_with_any(lower, terms.patterns)) {
        word.match = id_of(key);
      }
    }
    if (!terms.phrases.empty()) phrase_keys.push_back(keys != nullptr ? *keys : Keys{});
    words.push_back(word);
    if (word.char_begin > stop_after) {
      if (!matching || seen_match) {
        analysis.complete = false;
        break;
      }
    } else if (word.match != 0) {
      seen_match = true;
    }
    if (word.match != 0 && !seen_match) {
      // The first match lies beyond the soft limit: read one window past it, no further.
      seen_match = true;
      stop_after = word.char_begin + window;
    }
  }

  // Phrase words are marked only where the whole phrase stands.
  for (const auto& phrase : terms.phrases) {
    const std::uint32_t id = id_of(phrase.front().front());
    const auto matches = [](const Keys& keys, const std::vector<std::string>& forms) {
      return contains(forms, keys.stem) || contains(forms, keys.folded) || contains(forms, keys.translit);
    };
    for (std::size_t i = 0; i + phrase.size() <= words.size(); ++i) {
      std::size_t n = 0;
      while (n < phrase.size() && matches(phrase_keys[i + n], phrase[n])) ++n;
      if (n < phrase.size()) continue;
      for (std::size_t k = 0; k < n; ++k) {
        if (words[i + k].match == 0) words[i + k].match = id;
      }
    }
  }
  mark_cjk(text, terms, words, id_of);
  return analysis;
}

template <typename IdOf>
void Highlighter::mark_cjk(std::string_view text, const TermSet& terms, std::vector<Word>& words,
                           IdOf& id_of) {
  // The query's Chinese, Japanese or Korean words are pairs of characters (and single ones):
  // a character is marked where it stands in a pair the query has, or alone where the query
  // has it alone (in no pair).
  const auto chars_of = [&](std::size_t i) {
    return std::string{text.substr(words[i].begin, words[i].end - words[i].begin)};
  };
  const auto adjacent = [&](std::size_t i) {
    return i + 1 < words.size() && words[i].cjk && words[i + 1].cjk && words[i].end == words[i + 1].begin;
  };
  std::unordered_set<std::string> paired;  // characters of the query's pairs
  for (const auto& term : terms.words) {
    if (!text::starts_cjk(term)) continue;
    const auto second = term.size() > 3 ? term.substr(3) : std::string{};
    if (!second.empty() && text::starts_cjk(second)) {
      paired.insert(term.substr(0, 3));
      paired.insert(second);
    }
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!words[i].cjk) continue;
    const std::string c = chars_of(i);
    if (adjacent(i)) {
      const std::string pair = c + chars_of(i + 1);
      if (terms.words.count(pair) != 0) {
        const std::uint32_t id = id_of(pair);
        if (words[i].match == 0) words[i].match = id;
        words[i + 1].match = id;
        continue;
      }
    }
    if (words[i].match == 0 && terms.words.count(c) != 0 && paired.count(c) == 0) {
      words[i].match = id_of(c);
    }
  }
}

bool Highlighter::joins_previous(const std::vector<Word>& words, std::size_t i) {
  // Marked CJK characters side by side are one mark: "<mark>东京</mark>", as a reader sees a word.
  return i > 0 && i < words.size() && words[i].cjk && words[i - 1].cjk && words[i].match != 0 &&
         words[i - 1].match != 0 && words[i - 1].end == words[i].begin;
}

Highlighter::Window Highlighter::window(std::string_view text, const Analysis& analysis,
                                       std::size_t length) {
  const std::vector<Word>& words = analysis.words;
  std::vector<std::size_t> hits;
  std::uint32_t max_id = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].match == 0) continue;
    hits.push_back(i);
    max_id = std::max(max_id, words[i].match);
  }
  auto first_at_or_after = [&words](std::size_t char_pos) {
    return static_cast<std::size_t>(
        std::partition_point(words.begin(), words.end(),
                             [char_pos](const Word& w) { return w.char_begin < char_pos; }) -
        words.begin());
  };
  auto last_within = [&words](std::size_t from, std::size_t char_limit) {
    std::size_t last = from;
    while (last + 1 < words.size() && words[last + 1].char_end <= char_limit) ++last;
    return last;
  };

  std::size_t start = 0, cluster_last = 0;
  if (!hits.empty()) {
    // The run of matches fitting in three quarters of `length` (the rest leads in to it) with
    // the most distinct terms, then the most matches; the earliest such run wins ties.
    const std::size_t room = length - length / 4;
    std::vector<std::size_t> counts(max_id + 1, 0);
    std::size_t distinct = 0, best_distinct = 0, best_total = 0, best_i = 0, best_j = 0, j = 0;
    for (std::size_t i = 0; i < hits.size(); ++i) {
      while (j < hits.size() &&
             (j == i || words[hits[j]].char_end - words[hits[i]].char_begin <= room)) {
        if (counts[words[hits[j]].match]++ == 0) ++distinct;
        ++j;
      }
      if (distinct > best_distinct || (distinct == best_distinct && j - i > best_total)) {
        best_distinct = distinct;
        best_total = j - i;
        best_i = i;
        best_j = j - 1;
      }
      if (--counts[words[hits[i]].match] == 0) --distinct;
    }
    const Word& first_hit = words[hits[best_i]];
    cluster_last = hits[best_j];
    const std::size_t span = words[cluster_last].char_end - first_hit.char_begin;
    // When the run fits from the top, the article's own opening is the best context;
    // otherwise lead in with a third of the room left.
    if (words[cluster_last].char_end > length) {
      const std::size_t lead = span < length ? (length - span) / 3 : 0;
      start = first_at_or_after(first_hit.char_begin > lead ? first_hit.char_begin - lead : 0);
      // Rather begin with the sentence the run starts in, when it starts within the lead-in.
      for (std::size_t k = hits[best_i]; k > start; --k) {
        if (ends_sentence(text.substr(words[k - 1].end, words[k].begin - words[k - 1].end))) {
          start = k;
          break;
        }
      }
    }
  }
  std::size_t last = std::max(last_within(start, words[start].char_begin + length), cluster_last);
  if (analysis.complete && last + 1 == words.size() && start > 0) {
    // The end of the text is in view: use the room before the run instead.
    const std::size_t text_end = words.back().char_end;
    start = std::min(start, first_at_or_after(text_end > length ? text_end - length : 0));
  }
  return Window{start, last};
}

std::string Highlighter::snippet(std::string_view text, const TermSet& terms,
                                 std::size_t length, const std::string& lang) {
  current_ = &language(lang);
  // Long articles are read only so far: the first kSnippetScanChars characters (the opening
  // is where news puts what matters), or to one window past the first match if it is later.
  // With nothing to match, only the opening is shown.
  const Analysis analysis =
      analyse(text, terms, terms.empty() ? length : std::max(kSnippetScanChars, length), length);
  const std::vector<Word>& words = analysis.words;
  if (words.empty()) return {};
  const Window window = Highlighter::window(text, analysis, length);
  std::string out;
  out.reserve(length + length / 2);
  if (window.first > 0) out += kEllipsis;
  // Keep punctuation that opens the first word and closes the last one (quotes, full stops).
  std::size_t from = window.first == 0 ? 0 : words[window.first].begin;
  while (from < text.size() && is_space(text[from])) ++from;
  std::size_t to = words[window.last].end;
  const std::size_t limit =
      window.last + 1 < words.size() ? words[window.last + 1].begin : text.size();
  while (to < limit && !is_space(text[to])) ++to;

  std::size_t cursor = from;
  for (std::size_t i = window.first; i <= window.last; ++i) {
    const Word& w = words[i];
    append_escaped(out, text.substr(cursor, w.begin - cursor), true);
    // A run of marked CJK characters cut by the window's edge is marked up to the edge.
    const bool opens = i == window.first || !joins_previous(words, i);
    const bool closes = i == window.last || !joins_previous(words, i + 1);
    if (w.match != 0 && opens) out += kMarkOpen;
    out += escape_html(text.substr(w.begin, w.end - w.begin));
    if (w.match != 0 && closes) out += kMarkClose;
    cursor = w.end;
  }
  append_escaped(out, text.substr(cursor, to - cursor), true);
  if (window.last + 1 < words.size() || !analysis.complete) out += kEllipsis;
  return out;
}

std::string Highlighter::highlight(std::string_view text, const TermSet& terms,
                                   const std::string& lang) {
  if (terms.empty()) return escape_html(text);
  current_ = &language(lang);
  const std::vector<Word> words = analyse(text, terms, SIZE_MAX, 0).words;
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t cursor = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    if (w.match == 0) continue;
    out += escape_html(text.substr(cursor, w.begin - cursor));
    if (!joins_previous(words, i)) out += kMarkOpen;
    out += escape_html(text.substr(w.begin, w.end - w.begin));
    if (!joins_previous(words, i + 1)) out += kMarkClose;
    cursor = w.end;
  }
  out += escape_html(text.substr(cursor));
  return out;
}

}  // namespace clippings::search
