/// @file ingest.h
/// Turning raw input (text files, saved HTML pages, JSON lines) into clean Articles.
/// Everything here is pure: no I/O beyond what a function's name says, no global state, and an
/// Extractor is safe to share between threads once built.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "article.h"
#include "config.h"
#include "result.h"

namespace clippings {

enum class InputFormat { kText, kHtml, kJsonLines, kUnsupported };

/// By extension: .txt/.md, .html/.htm, .jsonl/.ndjson (case-insensitive).
InputFormat format_of(const std::filesystem::path& path);

/// Where an input item came from, for ids, --prune and error messages.
struct Origin {
  std::string file;           ///< path as the user gave or the walk found it; "-" for stdin
  std::string relative_path;  ///< relative to the SOURCE root (id of last resort)
  std::string source_file;    ///< absolute path; empty for stdin
  std::size_t line = 0;       ///< 1-based line of a JSON Lines record; 0 for whole files

  /// "file:line" or "file", the prefix of every message about this input.
  std::string location() const;
};

/// Metadata that arrives beside the text (front matter, a catalog row, JSON fields).
/// Empty fields are unknown and are filled in by extraction.
struct Metadata {
  std::string id, title, outlet, date, url, author, lang;

  /// Each empty field of this one takes the value of `fallback`'s (a lower-precedence source).
  void fill_from(const Metadata& fallback);
};

/// A line of a catalog that could not be used, and why.
struct CatalogProblem {
  std::size_t line = 0;
  std::string message;
};

/// A catalog.csv: column `file` plus any of url, outlet, date, title, author, lang, id, or
/// the other names `fields` (config.fields) gives them; the first non-empty column wins.
/// Other columns are ignored, so a spreadsheet may keep notes beside the catalog.
class Catalog {
 public:
  /// Parses the CSV (with libcsv). An error, naming the file and line, when there is no
  /// header row with a `file` column (or it cannot be read). A bad row is left out and listed
  /// in problems(), the other rows are kept: a malformed quote (the next line starts afresh),
  /// a row with more or fewer fields than the header, an empty or repeated `file`, a date
  /// that is not YYYY-MM-DD.
  static Result<Catalog> load(const std::filesystem::path& csv_path,
                              const FieldMap* fields = nullptr);
  /// Same, from CSV text already read; `name` is used in error messages, `directory` anchors
  /// the relative paths of the `file` column.
  static Result<Catalog> parse(std::string_view csv_text, const std::string& name,
                               const std::filesystem::path& directory,
                               const FieldMap* fields = nullptr);
  /// The row for a file, matched by path relative to the catalog's directory, else by file
  /// name when exactly one row has that name.
  const Metadata* find(const std::filesystem::path& file) const;
  std::size_t size() const { return rows_.size(); }
  /// The rows left out, in line order.
  const std::vector<CatalogProblem>& problems() const { return problems_; }
  /// The name it was loaded or parsed under (its path), for messages.
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::filesystem::path directory_;
  std::vector<CatalogProblem> problems_;
  std::map<std::string, Metadata> rows_;  ///< key: the `file` column, lexically normalised
  std::map<std::string, const Metadata*> by_name_;  ///< file name -> row; null when ambiguous
};

/// Extracts articles with the configured boilerplate rules, outlet names and field map.
class Extractor {
 public:
  /// Compiles the boilerplate rules once (the config has already checked that they compile).
  explicit Extractor(const Config& config);

  /// A .txt/.md file: optional YAML front matter, then text; `catalog` may be null.
  /// Precedence: front matter, then the catalog row, then what is extracted from the text.
  Result<Article> from_text(std::string content, const Origin& origin,
                            const Metadata* catalog) const;
  /// A saved HTML page; `catalog` may be null. Precedence: the catalog row, then the page's
  /// own metadata (Open Graph, JSON-LD, <title>...), then what is extracted from the text.
  Result<Article> from_html(std::string content, const Origin& origin,
                            const Metadata* catalog) const;
  /// One JSON Lines record (one line, without its newline). Field names come from
  /// config.fields. Blank lines are the caller's to skip: here they are an error.
  Result<Article> from_json_line(std::string_view line, const Origin& origin) const;

  /// Fills what `meta` lacks from the text and URL, strips boilerplate, repairs UTF-8 and
  /// checks limits: the shared last step of every reader (public for tests).
  Result<Article> finish(Metadata meta, std::string text, const Origin& origin) const;

  /// Lines of a cleaned text kept after the line and block boilerplate rules (public for
  /// tests); `lines` are trimmed, "" marks a paragraph break. A removed block leaves a "".
  /// To keep regular expressions off body paragraphs: line rules must match a whole line and
  /// only see lines up to 300 bytes, of which those over 80 bytes must not end like a sentence
  /// (".", "!", "?", maybe inside closing quotes); block start and end rules are searched in
  /// the first 300 bytes of a line. A block whose end never comes is not removed.
  std::vector<std::string> strip_boilerplate(std::vector<std::string> lines) const;

 private:
  /// A pattern searched for in a line; `anchored` when it starts with '^', so that only a
  /// match at the start of the line needs trying.
  struct SearchRule {
    std::regex re;
    bool anchored = false;
  };
  struct CompiledBlock {
    SearchRule start;
    std::optional<SearchRule> end;
  };
  static SearchRule search_rule(const std::string& pattern);
  static bool search_start(const SearchRule& rule, const std::string& folded_line);
  bool is_boilerplate_line(const std::string& folded_line) const;

  Config config_;
  std::vector<std::regex> line_rules_;
  std::vector<CompiledBlock> block_rules_;
};

/// A 422 "binary_content" error when `text` (UTF-8, or bytes in any character set once
/// decoded) is binary data: more than 2% of its characters are control characters other than
/// tab, line and page breaks and escape. Random bytes have ~11%; text in any script has none,
/// and a stray one in a long text does not count. nullopt for text.
std::optional<Error> binary_content(std::string_view text);

/// Invalid UTF-8 sequences replaced by U+FFFD (with utf8cpp).
std::string repair_utf8(std::string_view bytes);

/// "https://www.Example.com/a/?utm_source=x#top" -> "https://example.com/a": the id form of a URL.
std::string normalize_url(std::string_view url);

/// The lowercase host of a URL without "www." and port; "" when there is none.
std::string url_host(std::string_view url);

/// The outlet name for a URL: the config's outlets map by host (keys without "www."), trying
/// parent domains too ("edition.cnn.com" via "cnn.com"), else the host without "www.".
std::string outlet_from_url(std::string_view url, const std::map<std::string, std::string>& outlets);

/// A date near the top of the text ("date 2022-11-25", an ISO date), else in the URL path
/// ("/2022/11/25/"); "" when there is none. Returns "YYYY-MM-DD".
std::string find_date(std::string_view text, std::string_view url);

}  // namespace clippings
