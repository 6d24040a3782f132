/// @file text.cpp
/// Byte-level whitespace clean-up and the line heuristics, without regular expressions.
#include "ingest/text.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "ascii.h"
#include "dates.h"

namespace clippings::text {
namespace {

constexpr std::size_t kMaxHeadlineChars = 200;
constexpr std::size_t kMaxHeadlineWords = 30;
constexpr std::size_t kMaxBylineChars = 100;
constexpr std::size_t kMaxBylineWords = 8;
constexpr std::size_t kMaxDatelineChars = 100;

/// Words followed by a period that do not end a sentence.
constexpr std::array<std::string_view, 18> kAbbreviations = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "gov", "sen",
    "rep", "gen", "lt", "col", "no", "prof", "inc", "co"};

/// Lower-case words that may sit inside a name ("Ursula von der Leyen").
constexpr std::array<std::string_view, 14> kNameParticles = {
    "and", "&", "de", "da", "van", "von", "der", "den", "la", "le", "del", "di", "bin", "al"};

/// What a whitespace-like UTF-8 sequence at the start of `s` is, and its length in bytes.
enum class Space { kNone, kSpace, kDrop, kLine, kParagraph };

std::pair<Space, std::size_t> classify_space(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  if (c == '\n') return {Space::kLine, 1};
  if (c == '\r') return {s.size() > 1 && s[1] == '\n' ? Space::kDrop : Space::kLine, 1};
  if (c == 0x20 || c < 0x20 || c == 0x7f) return {Space::kSpace, 1};
  if (c < 0x80) return {Space::kNone, 1};
  if (c == 0xc2 && s.size() > 1) {
    if (b(1) == 0xa0) return {Space::kSpace, 2};  // no-break space
    if (b(1) == 0x85) return {Space::kLine, 2};   // next line
    if (b(1) == 0xad) return {Space::kDrop, 2};   // soft hyphen
  }
  if (c == 0xe2 && s.size() > 2) {
    const unsigned char c1 = b(1), c2 = b(2);
    if (c1 == 0x80 && c2 <= 0x8a) return {Space::kSpace, 3};  // en quad .. hair space
    if (c1 == 0x80 && c2 == 0x8b) return {Space::kDrop, 3};   // zero-width space
    if (c1 == 0x80 && c2 == 0xa8) return {Space::kLine, 3};
    if (c1 == 0x80 && c2 == 0xa9) return {Space::kParagraph, 3};
    if (c1 == 0x80 && c2 == 0xaf) return {Space::kSpace, 3};  // narrow no-break space
    if (c1 == 0x81 && c2 == 0x9f) return {Space::kSpace, 3};  // medium mathematical space
    if (c1 == 0x81 && c2 == 0xa0) return {Space::kDrop, 3};   // word joiner
  }
  if (c == 0xe3 && s.size() > 2 && b(1) == 0x80 && b(2) == 0x80) return {Space::kSpace, 3};
  if (c == 0xef && s.size() > 2 && b(1) == 0xbb && b(2) == 0xbf) return {Space::kDrop, 3};
  return {Space::kNone, 1};
}

bool is_lower_ascii(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper_start(char c) { return (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80; }

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equals_ignoring_case(s.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// The word before position `dot` (a '.'), lower-cased.
std::string word_before(std::string_view s, std::size_t dot) {
  std::size_t start = dot;
  while (start > 0 && s[start - 1] != ' ') --start;
  return ascii_lowered(s.substr(start, dot - start));
}

bool is_abbreviation(std::string_view s, std::size_t dot) {
  const std::string word = word_before(s, dot);
  if (word.size() == 1) return true;                     // an initial: "J. Smith"
  if (word.find('.') != std::string::npos) return true;  // "U.S."
  return std::find(kAbbreviations.begin(), kAbbreviations.end(), word) != kAbbreviations.end();
}

/// Strips closing quotes and brackets from the end (ASCII and the common UTF-8 ones).
std::string_view strip_closers(std::string_view s) {
  for (bool stripped = true; stripped && !s.empty();) {
    stripped = false;
    for (std::string_view closer : {"\"", "'", ")", "]", "\u201d", "\u2019", "\u00bb"}) {
      if (s.size() >= closer.size() && s.substr(s.size() - closer.size()) == closer) {
        s.remove_suffix(closer.size());
        stripped = true;
      }
    }
  }
  return s;
}

/// Byte offset just past the first sentence of `p` (including its terminator), or p.size().
std::size_t first_sentence_end(std::string_view p) {
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c != '.' && c != '!' && c != '?') continue;
    std::size_t after = i + 1;
    for (std::string_view closer : {"\"", "\u201d", "\u2019", "'", ")"}) {
      if (p.substr(after, closer.size()) == closer) after += closer.size();
    }
    if (after < p.size() && p[after] != ' ') continue;
    if (c == '.' && is_abbreviation(p, i)) continue;
    if (after + 1 < p.size() && is_lower_ascii(p[after + 1])) continue;
    return after;
  }
  return p.size();
}

/// Byte offset of the `n`th code point (or s.size()).
std::size_t offset_of_char(std::string_view s, std::size_t n) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80) {
      if (count == n) return i;
      ++count;
    }
  }
  return s.size();
}

bool is_name_word(std::string_view word) {
  if (word.empty()) return false;
  if (std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  if (is_upper_start(word.front())) return true;
  return std::find(kNameParticles.begin(), kNameParticles.end(), ascii_lowered(word)) !=
         kNameParticles.end();
}

}  // namespace

std::vector<std::string> clean_lines(std::string_view input) {
  std::vector<std::string> lines;
  std::string current;
  bool pending_space = false;
  bool blank_seen = false;  // a paragraph break since the last line kept
  const auto end_line = [&](bool paragraph) {
    if (current.empty()) {
      blank_seen = true;
    } else {
      if (blank_seen && !lines.empty()) lines.emplace_back();
      lines.push_back(std::move(current));
      current.clear();
      blank_seen = paragraph;
    }
    pending_space = false;
  };
  for (std::size_t i = 0; i < input.size();) {
    const auto [kind, length] = classify_space(input.substr(i));
    switch (kind) {
      case Space::kNone:
        if (pending_space && !current.empty()) current.push_back(' ');
        pending_space = false;
        current.append(input.data() + i, length);
        break;
      case Space::kSpace:
        pending_space = true;
        break;
      case Space::kDrop:
        break;
      case Space::kLine:
        end_line(false);
        break;
      case Space::kParagraph:
        end_line(true);
        break;
    }
    i += length;
  }
  end_line(false);
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  bool pending_break = false;
  for (const auto& line : lines) {
    if (line.empty()) {
      pending_break = !out.empty();
      continue;
    }
    if (!out.empty()) out += pending_break ? "\n\n" : "\n";
    out += line;
    pending_break = false;
  }
  return out;
}

std::size_t length_utf8(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

bool is_headline(std::string_view line) {
  line = trim(line);
  const std::size_t chars = length_utf8(line);
  if (chars < 2 || chars > kMaxHeadlineChars) return false;
  if (is_lower_ascii(line.front())) return false;
  if (std::none_of(line.begin(), line.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
      })) {
    return false;
  }
  if (static_cast<std::size_t>(std::count(line.begin(), line.end(), ' ')) + 1 > kMaxHeadlineWords) {
    return false;
  }
  const std::string_view core = strip_closers(line);
  if (core.empty()) return false;
  const char last = core.back();
  if (last == ',' || last == ';' || last == ':') return false;
  if (last == '.' && !is_abbreviation(core, core.size() - 1)) return false;
  // Two sentences are a paragraph, not a headline.
  return first_sentence_end(line) == line.size();
}

std::string sentence_title(std::string_view paragraph, std::size_t max_chars) {
  std::string_view sentence = trim(paragraph.substr(0, first_sentence_end(paragraph)));
  if (!sentence.empty() && sentence.back() == '.') sentence.remove_suffix(1);
  if (length_utf8(sentence) <= max_chars) return std::string{sentence};
  const std::size_t limit = offset_of_char(sentence, max_chars);
  std::size_t cut = sentence.rfind(' ', limit);
  if (cut == std::string_view::npos || cut == 0) cut = limit;
  std::string_view head = sentence.substr(0, cut);
  while (!head.empty() && std::string_view{" ,;:-(\"'"}.find(head.back()) != std::string_view::npos) {
    head.remove_suffix(1);
  }
  for (std::string_view dash : {"\u2013", "\u2014", "\u201c", "\u2018"}) {
    if (head.size() >= dash.size() && head.substr(head.size() - dash.size()) == dash) {
      head = trim(head.substr(0, head.size() - dash.size()));
    }
  }
  return std::string{head} + "\u2026";
}

std::optional<std::string> byline_author(std::string_view line) {
  line = trim(line);
  if (length_utf8(line) > kMaxBylineChars) return std::nullopt;
  std::string_view rest;
  for (std::string_view prefix : {"by:", "by ", "of:", "author:", "authors:", "written by "}) {
    if (starts_with_ignoring_case(line, prefix)) {
      rest = trim(line.substr(prefix.size()));
      break;
    }
  }
  // "By Jane Doe · March 3, 2022": what follows a separator is a date or a role.
  for (std::string_view separator : {" \u00b7 ", " | ", " \u2014 ", " \u2013 ", " - "}) {
    if (auto pos = rest.find(separator); pos != std::string_view::npos) rest = rest.substr(0, pos);
  }
  while (!rest.empty() && rest.back() == ',') rest.remove_suffix(1);
  if (rest.empty()) return std::nullopt;
  std::size_t words = 0;
  std::size_t start = 0;
  while (start < rest.size()) {
    std::size_t end = rest.find(' ', start);
    if (end == std::string_view::npos) end = rest.size();
    std::string_view word = rest.substr(start, end - start);
    if (!word.empty() && word.back() == ',') word.remove_suffix(1);
    if (!is_name_word(word)) return std::nullopt;
    ++words;
    start = end + 1;
  }
  if (words == 0 || words > kMaxBylineWords) return std::nullopt;
  // A trailing period after a long word ends a sentence ("By then it was over.").
  if (rest.back() == '.' && !is_abbreviation(rest, rest.size() - 1)) return std::nullopt;
  return std::string{rest};
}

std::optional<std::string> iso_date_in(std::string_view line) {
  const auto digit = [&](std::size_t i) { return line[i] >= '0' && line[i] <= '9'; };
  for (std::size_t i = 0; i + 10 <= line.size(); ++i) {
    if (!digit(i) || (i > 0 && std::isalnum(static_cast<unsigned char>(line[i - 1])))) continue;
    if (i + 10 < line.size() && digit(i + 10)) continue;
    if (auto day = normalize_date(line.substr(i, 10))) return day;
  }
  return std::nullopt;
}

bool is_dateline(std::string_view line) {
  line = trim(line);
  if (line.size() > kMaxDatelineChars) return false;
  for (std::string_view label : {"last updated", "published on", "posted on", "published",
                                 "updated", "posted", "date"}) {
    if (starts_with_ignoring_case(line, label)) {
      line = trim(line.substr(label.size()));
      if (!line.empty() && line.front() == ':') line = trim(line.substr(1));
      break;
    }
  }
  if (line.size() < 10 || !normalize_date(line.substr(0, 10))) return false;
  if (line.size() > 10 && std::isdigit(static_cast<unsigned char>(line[10]))) return false;
  return line.back() != '.';
}

}  // namespace clippings::text
