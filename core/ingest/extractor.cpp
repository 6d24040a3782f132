/// @file extractor.cpp
/// The shared last step of every reader: clean-up, boilerplate, metadata from text and URL.
#include <algorithm>

#include <fmt/format.h>

#include "ascii.h"
#include "dates.h"
#include "ingest/ingest.h"
#include "ingest/language.h"
#include "ingest/text.h"
#include "text/folding.h"

namespace clippings {
namespace {

/// Longer lines are never boilerplate: rules only run on short lines, which keeps the cost of
/// regular expressions off the body paragraphs.
constexpr std::size_t kMaxBoilerplateLine = 300;
/// Lines up to this long are always candidates; longer ones only when they do not end like a
/// sentence (boilerplate is labels, captions and credits, rarely a long finished sentence).
constexpr std::size_t kShortLine = 80;
/// Block start and end patterns see at most this many leading bytes of a line.
constexpr std::size_t kBlockRuleWindow = 300;
/// Non-empty lines at the top where a title, byline or dateline may be.
constexpr std::size_t kHeaderLines = 5;

/// Rules are case-insensitive, but std::regex's icase mode looks up the locale for every
/// character compared (most of the extraction time). So patterns and lines are lower-cased
/// instead and matched case-sensitively: the same result for the ASCII letters icase folds.
constexpr auto kRegexFlags = std::regex::ECMAScript;

/// Lower-cases a pattern's letters except escapes (\S, \W, \D and \B differ from \s...).
std::regex compile_folded(const std::string& pattern) {
  std::string folded;
  folded.reserve(pattern.size());
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    folded += pattern[i] == '\\' ? pattern[i] : ascii_lower(pattern[i]);
    if (pattern[i] == '\\' && i + 1 < pattern.size()) folded += pattern[++i];
  }
  return std::regex{folded, kRegexFlags};
}

/// Whether every match of `pattern` starts at the start of the text: it begins with '^' and
/// has no '|' outside brackets and groups ("^a|b" finds a "b" anywhere).
bool anchored_at_start(std::string_view pattern) {
  if (!pattern.starts_with('^')) return false;
  int depth = 0;
  bool in_class = false;
  for (std::size_t i = 1; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

Extractor::SearchRule Extractor::search_rule(const std::string& pattern) {
  return SearchRule{compile_folded(pattern), anchored_at_start(pattern)};
}

bool Extractor::search_start(const SearchRule& rule, const std::string& folded_line) {
  // std::regex_search tries every start position even when '^' can only match at the first;
  // match_continuous tries that one only (without it, searching was most of the rules' cost).
  auto flags = rule.anchored ? std::regex_constants::match_continuous
                             : std::regex_constants::match_default;
  auto end = folded_line.end();
  if (folded_line.size() > kBlockRuleWindow) {
    end = folded_line.begin() + kBlockRuleWindow;
    // Cut lines must not match "$" or "\b" at the cut.
    flags |= std::regex_constants::match_not_eol | std::regex_constants::match_not_eow;
  }
  return std::regex_search(folded_line.begin(), end, rule.re, flags);
}

namespace {

/// A metadata value on one line, whitespace collapsed.
std::string clean_field(const std::string& value) {
  if (value.empty()) return value;
  std::string out;
  for (const auto& line : text::clean_lines(text::nfc(repair_utf8(value)))) {
    if (line.empty()) continue;
    if (!out.empty()) out += ' ';
    out += line;
  }
  return out;
}

/// Binary data, not text: more than this share (in percent) of its characters are control
/// characters other than tab, line and page breaks and escape. Random bytes have ~11%; text in
/// any character set, once decoded, has none (a stray one in a long text does not count).
constexpr std::size_t kMaxControlPercent = 2;

/// The share, in percent (rounded up), of control characters among the code points of `text`.
std::size_t control_percent(std::string_view text) {
  std::size_t controls = 0, characters = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xc0) != 0x80) ++characters;  // not a UTF-8 continuation byte
    if (byte == 0x7f || (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\v' &&
                         byte != '\f' && byte != '\r' && byte != 0x1b)) {
      ++controls;
    }
  }
  return characters == 0 ? 0 : (controls * 100 + characters - 1) / characters;
}

/// A value quoted in a message: at most a few dozen characters (whole UTF-8 sequences).
std::string shortened(std::string_view value) {
  constexpr std::size_t kMaxQuoted = 60;
  if (value.size() <= kMaxQuoted) return std::string{value};
  std::size_t cut = kMaxQuoted;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xc0) == 0x80) --cut;
  return std::string{value.substr(0, cut)} + "\u2026";
}

/// The first `count` non-empty lines, one per line.
std::string top_lines(const std::vector<std::string>& lines, std::size_t count) {
  std::string top;
  for (const auto& line : lines) {
    if (line.empty()) continue;
    if (count-- == 0) break;
    top += line;
    top += '\n';
  }
  return top;
}

/// What the first lines of a text say about it, and which of them are not body text.
struct Header {
  std::string title;
  std::string author;
  std::vector<std::size_t> metadata_lines;  ///< indexes of lines to drop from the body
};

/// True when line `i` is hard-wrapped: the next line goes on with the same sentence.
bool continues(const std::vector<std::string>& lines, std::size_t i) {
  if (i + 1 >= lines.size() || lines[i + 1].empty()) return false;
  const char next = lines[i + 1].front();
  return next >= 'a' && next <= 'z';
}

/// The paragraph starting at line `i`, its lines joined with spaces (hard-wrapped text).
std::string paragraph_at(const std::vector<std::string>& lines, std::size_t i) {
  std::string paragraph = lines[i];
  for (std::size_t j = i + 1; j < lines.size() && !lines[j].empty(); ++j) {
    paragraph += ' ';
    paragraph += lines[j];
  }
  return paragraph;
}

Header read_header(const std::vector<std::string>& lines, const std::string& known_title) {
  Header header;
  bool title_seen = false;
  std::size_t seen = 0;
  for (std::size_t i = 0; i < lines.size() && seen < kHeaderLines; ++i) {
    const std::string& line = lines[i];
    if (line.empty()) continue;
    ++seen;
    if (text::is_dateline(line)) {
      header.metadata_lines.push_back(i);
      continue;
    }
    if (auto author = text::byline_author(line)) {
      if (header.author.empty()) header.author = *author;
      header.metadata_lines.push_back(i);
      continue;
    }
    if (title_seen) break;  // the first body line after the title
    title_seen = true;
    if (!known_title.empty()) {
      // Exports often repeat the title as the body's first line.
      if (text::equals_ignoring_case(line, known_title)) header.metadata_lines.push_back(i);
    } else if (text::is_headline(line) && !continues(lines, i)) {
      header.title = line;
      header.metadata_lines.push_back(i);
    } else {
      header.title = text::sentence_title(paragraph_at(lines, i));
      break;  // the article opens with its lead paragraph
    }
  }
  return header;
}

std::string body_without(std::vector<std::string> lines, const std::vector<std::size_t>& drop) {
  for (std::size_t i : drop) lines[i].clear();
  return text::join_lines(lines);
}

/// A line that ends with ".", "!" or "?", perhaps inside closing quotes or brackets.
bool ends_like_sentence(std::string_view line) {
  for (bool stripped = true; stripped && !line.empty();) {
    stripped = false;
    for (std::string_view closer : {"\"", "'", ")", "\u201d", "\u2019"}) {
      if (line.size() >= closer.size() && line.substr(line.size() - closer.size()) == closer) {
        line.remove_suffix(closer.size());
        stripped = true;
      }
    }
  }
  return !line.empty() && (line.back() == '.' || line.back() == '!' || line.back() == '?');
}

}  // namespace

std::optional<Error> binary_content(std::string_view text) {
  const std::size_t percent = control_percent(text);
  if (percent <= kMaxControlPercent) return std::nullopt;
  return Error{422, "binary_content",
               fmt::format("binary content, not text: {}% of its characters are control "
                           "characters", percent),
               ""};
}

Extractor::Extractor(const Config& config) : config_(config) {
  config_.outlets.clear();
  for (const auto& [host, name] : config.outlets) {
    std::string key = url_host("http://" + host);
    config_.outlets[key.empty() ? host : key] = name;
  }
  for (const auto& pattern : config.boilerplate.lines) {
    line_rules_.push_back(compile_folded(pattern));
  }
  for (const auto& block : config.boilerplate.blocks) {
    CompiledBlock compiled{search_rule(block.start), std::nullopt};
    if (!block.end.empty()) compiled.end = search_rule(block.end);
    block_rules_.push_back(std::move(compiled));
  }
}

bool Extractor::is_boilerplate_line(const std::string& folded_line) const {
  if (folded_line.size() > kMaxBoilerplateLine) return false;
  if (folded_line.size() > kShortLine && ends_like_sentence(folded_line)) return false;
  return std::any_of(line_rules_.begin(), line_rules_.end(), [&](const std::regex& rule) {
    return std::regex_match(folded_line, rule);
  });
}

std::vector<std::string> Extractor::strip_boilerplate(std::vector<std::string> lines) const {
  std::vector<std::string> kept;
  kept.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string& line = lines[i];
    if (line.empty()) {
      kept.emplace_back();
      continue;
    }
    const std::string folded_line = ascii_lowered(line);
    std::optional<std::size_t> block_end;
    for (const auto& block : block_rules_) {
      if (!search_start(block.start, folded_line)) continue;
      if (!block.end) {
        block_end = lines.size() - 1;
        break;
      }
      // A block whose end never comes is left alone: better some boilerplate than lost text.
      for (std::size_t j = i + 1; j < lines.size() && !block_end; ++j) {
        if (!lines[j].empty() && search_start(*block.end, ascii_lowered(lines[j]))) block_end = j;
      }
      if (block_end) break;
    }
    if (block_end) {
      i = *block_end;
      kept.emplace_back();
      continue;
    }
    if (!is_boilerplate_line(folded_line)) kept.push_back(std::move(line));
  }
  return kept;
}

Result<Article> Extractor::finish(Metadata meta, std::string raw, const Origin& origin) const {
  const std::size_t limit = config_.indexer.max_article_bytes;
  if (raw.size() > limit) {
    return Error{413, "article_too_large",
                 fmt::format("article text is {} bytes, over the limit of {} bytes "
                             "(indexer.max_article_bytes)",
                             raw.size(), limit),
                 "indexer.max_article_bytes"};
  }
  if (auto binary = binary_content(raw)) return *binary;
  for (auto field : {&Metadata::id, &Metadata::title, &Metadata::outlet, &Metadata::date,
                     &Metadata::url, &Metadata::author, &Metadata::lang}) {
    meta.*field = clean_field(meta.*field);
  }
  std::vector<std::string> lines = strip_boilerplate(text::clean_lines(text::nfc(repair_utf8(raw))));
  const Header header = read_header(lines, meta.title);

  Article article;
  article.text = body_without(lines, header.metadata_lines);
  article.title = meta.title.empty() ? header.title : meta.title;
  // A headline without a body is still an article (wire copy often is one): the headline is
  // its text, so that it is found, shown and counted like any other.
  if (article.text.empty()) article.text = article.title;
  if (article.text.empty()) {
    return Error{422, "empty_article", "empty article: no text or title left after cleaning", ""};
  }
  article.author = meta.author.empty() ? header.author : meta.author;
  article.url = meta.url;
  article.date = normalize_date(meta.date).value_or("");
  if (article.date.empty() && !meta.date.empty()) {
    article.warnings.push_back(fmt::format("date '{}' is not a valid date: ignored", shortened(meta.date)));
  }
  if (article.date.empty()) article.date = find_date(top_lines(lines, kHeaderLines), meta.url);
  article.outlet = meta.outlet.empty() ? outlet_from_url(meta.url, config_.outlets) : meta.outlet;
  article.lang = article_language(meta.lang, article.title, article.text, config_.language);
  if (!meta.id.empty()) {
    article.id = meta.id;
  } else if (!meta.url.empty()) {
    article.id = normalize_url(meta.url);
  } else {
    article.id = origin.relative_path.empty() ? origin.file : origin.relative_path;
    if (origin.line > 0) article.id += ":" + std::to_string(origin.line);
  }
  article.source = origin.location();
  article.source_file = origin.source_file;
  return article;
}

}  // namespace clippings
