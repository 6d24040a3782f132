/// @file catalog.cpp
/// catalog.csv: metadata for plain text files, one row per file, parsed with libcsv.
#include <csv.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "dates.h"
#include "ingest/ingest.h"

namespace clippings {
namespace {

using Row = std::vector<std::string>;

/// Rows read, and the lines that could not be read, with why.
struct CsvRows {
  std::vector<std::pair<std::size_t, Row>> rows;
  std::vector<CatalogProblem> problems;
};

/// Collects rows from libcsv's callbacks, remembering the line each row started on.
struct RowCollector {
  Row current;
  CsvRows* out = nullptr;
  std::size_t line = 1;        ///< physical line being fed
  std::size_t line_offset = 0; ///< its offset in the text
  std::size_t row_start = 0;   ///< line of the first field of the current row (0: none yet)
  std::size_t row_offset = 0;  ///< offset of that line

  static void on_field(void* data, std::size_t size, void* self_ptr) {
    auto& self = *static_cast<RowCollector*>(self_ptr);
    if (self.row_start == 0) {
      self.row_start = self.line;
      self.row_offset = self.line_offset;
    }
    self.current.emplace_back(static_cast<const char*>(data), data ? size : 0);
  }
  static void on_row(int /*terminator*/, void* self_ptr) {
    auto& self = *static_cast<RowCollector*>(self_ptr);
    self.out->rows.emplace_back(self.row_start == 0 ? self.line : self.row_start,
                                std::move(self.current));
    self.current.clear();
    self.row_start = 0;
  }
};

Error csv_error(const std::string& name, std::size_t line, const std::string& message) {
  return Error{400, "invalid_catalog", fmt::format("{}:{}: {}", name, line, message), ""};
}

/// After this many unreadable places, the rest of a catalog is not read: each one costs a
/// pass over the lines after it.
constexpr std::size_t kMaxCsvProblems = 100;

/// Where a pass of libcsv stopped: the problem, and the offset and line to go on from.
struct CsvStop {
  CatalogProblem problem;
  std::size_t resume_offset = 0;
  std::size_t resume_line = 0;
};

/// libcsv over the text from `offset` (the start of line `line`), one physical line at a
/// time to know where errors are. Rows go to `out`; returns where a malformed line stopped it.
std::optional<CsvStop> read_from(std::string_view csv, std::size_t offset, std::size_t line,
                                 CsvRows& out) {
  csv_parser parser{};
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return CsvStop{{line, "cannot start the CSV parser"}, csv.size(), line};
  }
  RowCollector collector;
  collector.out = &out;
  collector.line = line;
  std::optional<CsvStop> stop;
  // The first line after the last complete row: where a row with no complete field began.
  std::size_t next_row_line = line, next_row_offset = offset, rows_before = out.rows.size();
  for (std::size_t start = offset; start < csv.size();) {
    std::size_t end = csv.find('\n', start);
    end = end == std::string_view::npos ? csv.size() : end + 1;
    collector.line_offset = start;
    const std::size_t length = end - start;
    if (csv_parse(&parser, csv.data() + start, length, RowCollector::on_field,
                  RowCollector::on_row, &collector) != length) {
      // A stray quote: this line is given up, the next starts afresh.
      stop = CsvStop{{collector.line, csv_strerror(csv_error(&parser))}, end, collector.line + 1};
      break;
    }
    if (out.rows.size() != rows_before) {
      rows_before = out.rows.size();
      next_row_line = collector.line + 1;
      next_row_offset = end;
    }
    start = end;
    if (start < csv.size()) ++collector.line;
  }
  if (!stop && csv_fini(&parser, RowCollector::on_field, RowCollector::on_row, &collector) != 0) {
    // A quote never closed took in every line after it: they are read again, from the line
    // after the one where its row began.
    const bool known = collector.row_start != 0;
    const std::size_t row_line = known ? collector.row_start : next_row_line;
    const std::size_t row_end = csv.find('\n', known ? collector.row_offset : next_row_offset);
    stop = CsvStop{{row_line,
                    std::string{csv_strerror(csv_error(&parser))} + " (unterminated quoted field?)"},
                   row_end == std::string_view::npos ? csv.size() : row_end + 1, row_line + 1};
  }
  csv_free(&parser);
  return stop;
}

/// Every row that can be read, and a problem for each line that cannot.
CsvRows read_rows(std::string_view csv) {
  CsvRows out;
  std::size_t offset = 0, line = 1;
  while (offset < csv.size()) {
    auto stop = read_from(csv, offset, line, out);
    if (!stop) break;
    out.problems.push_back(std::move(stop->problem));
    if (out.problems.size() >= kMaxCsvProblems) {
      out.problems.push_back({stop->resume_line, fmt::format("{} lines could not be read: the "
                                                             "rest of the catalog is ignored",
                                                             kMaxCsvProblems)});
      break;
    }
    offset = stop->resume_offset;
    line = stop->resume_line;
  }
  return out;
}

/// For each Metadata member, the columns that may hold it, in order of preference: the
/// canonical name first, then the config's field names (the first non-empty one wins).
using ColumnMap = std::vector<std::pair<std::string Metadata::*, std::vector<std::size_t>>>;

ColumnMap column_map(const Row& header, const FieldMap* fields) {
  const FieldMap none;
  const FieldMap& names = fields ? *fields : none;
  const std::pair<std::string Metadata::*, std::pair<const char*, const std::vector<std::string>*>>
      kFields[] = {{&Metadata::id, {"id", &names.id}},
                   {&Metadata::title, {"title", &names.title}},
                   {&Metadata::outlet, {"outlet", &names.outlet}},
                   {&Metadata::date, {"date", &names.date}},
                   {&Metadata::url, {"url", &names.url}},
                   {&Metadata::author, {"author", &names.author}},
                   {&Metadata::lang, {"lang", &names.lang}}};
  ColumnMap map;
  for (const auto& [member, candidates] : kFields) {
    std::vector<std::string> wanted{candidates.first};
    wanted.insert(wanted.end(), candidates.second->begin(), candidates.second->end());
    std::vector<std::size_t> columns;
    for (const auto& name : wanted) {
      for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name && name != "file" &&
            std::find(columns.begin(), columns.end(), i) == columns.end()) {
          columns.push_back(i);
        }
      }
    }
    map.emplace_back(member, std::move(columns));
  }
  return map;
}

std::string path_key(const std::filesystem::path& path) {
  return path.lexically_normal().generic_string();
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

Result<Catalog> Catalog::load(const std::filesystem::path& csv_path, const FieldMap* fields) {
  std::ifstream in{csv_path, std::ios::binary};
  if (!in) {
    return Error{400, "invalid_catalog", csv_path.string() + ": cannot read the catalog", ""};
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), csv_path.string(), csv_path.parent_path(), fields);
}

Result<Catalog> Catalog::parse(std::string_view csv_text, const std::string& name,
                               const std::filesystem::path& directory, const FieldMap* fields) {
  if (csv_text.substr(0, 3) == "\xEF\xBB\xBF") csv_text.remove_prefix(3);  // spreadsheet BOM
  CsvRows read = read_rows(csv_text);
  auto& rows = read.rows;
  // Without a header nothing can be read: a problem before it is the catalog's.
  if (!read.problems.empty() && (rows.empty() || read.problems.front().line <= rows.front().first)) {
    return csv_error(name, read.problems.front().line, read.problems.front().message);
  }
  if (rows.empty()) return csv_error(name, 1, "empty catalog: expected a header row with 'file'");
  Row header = rows.front().second;
  for (auto& column : header) column = trimmed(column);
  const auto file_column = std::find(header.begin(), header.end(), "file") - header.begin();
  if (file_column == static_cast<long>(header.size())) {
    return csv_error(name, rows.front().first, "the header row has no 'file' column");
  }
  const ColumnMap columns = column_map(header, fields);

  Catalog catalog;
  catalog.name_ = name;
  catalog.directory_ = directory;
  catalog.problems_ = std::move(read.problems);
  // A bad row costs only itself: it is reported, and the other rows are used.
  const auto reject = [&](std::size_t line, std::string message) {
    catalog.problems_.push_back({line, std::move(message)});
  };
  std::map<std::string, std::size_t> first_line;
  for (auto it = rows.begin() + 1; it != rows.end(); ++it) {
    const auto& [line, row] = *it;
    if (row.size() != header.size()) {
      reject(line, fmt::format("expected {} fields as in the header, found {}", header.size(),
                               row.size()));
      continue;
    }
    const std::string file = trimmed(row[file_column]);
    if (file.empty()) {
      reject(line, "empty 'file' field");
      continue;
    }
    Metadata meta;
    for (const auto& [member, indexes] : columns) {
      for (std::size_t i : indexes) {
        if ((meta.*member).empty()) meta.*member = trimmed(row[i]);
      }
    }
    if (!meta.date.empty() && !normalize_date(meta.date)) {
      reject(line, fmt::format("date '{}' is not YYYY-MM-DD", meta.date));
      continue;
    }
    const std::string key = path_key(file);
    if (auto [seen, fresh] = first_line.emplace(key, line); !fresh) {
      reject(line, fmt::format("'{}' is listed twice (first on line {})", key, seen->second));
      continue;
    }
    const Metadata& stored = catalog.rows_[key] = std::move(meta);
    const std::string file_name = std::filesystem::path{key}.filename().string();
    auto [entry, fresh] = catalog.by_name_.emplace(file_name, &stored);
    if (!fresh) entry->second = nullptr;  // two rows with this name: only paths can tell
  }
  std::stable_sort(catalog.problems_.begin(), catalog.problems_.end(),
                   [](const auto& a, const auto& b) { return a.line < b.line; });
  return catalog;
}

const Metadata* Catalog::find(const std::filesystem::path& file) const {
  const auto absolute = [](const std::filesystem::path& p) {
    std::error_code error;
    auto result = std::filesystem::absolute(p, error);
    return error ? p : result;
  };
  const std::filesystem::path relative =
      absolute(file).lexically_normal().lexically_relative(absolute(directory_).lexically_normal());
  if (!relative.empty()) {
    if (auto it = rows_.find(path_key(relative)); it != rows_.end()) return &it->second;
  }
  auto it = by_name_.find(file.filename().string());
  return it == by_name_.end() ? nullptr : it->second;
}

}  // namespace clippings
