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

/// Collects rows from libcsv's callbacks, remembering the line each row started on.
struct RowCollector {
  Row current;
  std::vector<std::pair<std::size_t, Row>> rows;
  std::size_t line = 1;        ///< physical line being fed
  std::size_t row_start = 0;   ///< line of the first field of the current row (0: none yet)

  static void on_field(void* data, std::size_t size, void* self_ptr) {
    auto& self = *static_cast<RowCollector*>(self_ptr);
    if (self.row_start == 0) self.row_start = self.line;
    self.current.emplace_back(static_cast<const char*>(data), data ? size : 0);
  }
  static void on_row(int /*terminator*/, void* self_ptr) {
    auto& self = *static_cast<RowCollector*>(self_ptr);
    self.rows.emplace_back(self.row_start == 0 ? self.line : self.row_start,
                           std::move(self.current));
    self.current.clear();
    self.row_start = 0;
  }
};

Error csv_error(const std::string& name, std::size_t line, const std::string& message) {
  return Error{400, "invalid_catalog", fmt::format("{}:{}: {}", name, line, message), ""};
}

/// Runs libcsv over the text, feeding one physical line at a time to know where errors are.
Result<std::vector<std::pair<std::size_t, Row>>> read_rows(std::string_view csv,
                                                             const std::string& name) {
  csv_parser parser{};
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return csv_error(name, 1, "cannot start the CSV parser");
  }
  RowCollector collector;
  std::string message;
  for (std::size_t start = 0; start < csv.size() && message.empty();) {
    std::size_t end = csv.find('\n', start);
    end = end == std::string_view::npos ? csv.size() : end + 1;
    const std::size_t length = end - start;
    if (csv_parse(&parser, csv.data() + start, length, RowCollector::on_field,
                  RowCollector::on_row, &collector) != length) {
      message = csv_strerror(csv_error(&parser));
      break;
    }
    start = end;
    if (start < csv.size()) ++collector.line;
  }
  if (message.empty() &&
      csv_fini(&parser, RowCollector::on_field, RowCollector::on_row, &collector) != 0) {
    message = std::string{csv_strerror(csv_error(&parser))} + " (unterminated quoted field?)";
  }
  csv_free(&parser);
  if (!message.empty()) return csv_error(name, collector.line, message);
  return std::move(collector.rows);
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
  auto rows = read_rows(csv_text, name);
  if (!rows) return rows.error();
  if (rows->empty()) return csv_error(name, 1, "empty catalog: expected a header row with 'file'");
  Row header = rows->front().second;
  for (auto& column : header) column = trimmed(column);
  const auto file_column = std::find(header.begin(), header.end(), "file") - header.begin();
  if (file_column == static_cast<long>(header.size())) {
    return csv_error(name, rows->front().first, "the header row has no 'file' column");
  }
  const ColumnMap columns = column_map(header, fields);

  Catalog catalog;
  catalog.directory_ = directory;
  std::map<std::string, std::size_t> first_line;
  for (auto it = rows->begin() + 1; it != rows->end(); ++it) {
    const auto& [line, row] = *it;
    if (row.size() != header.size()) {
      return csv_error(name, line, fmt::format("expected {} fields as in the header, found {}",
                                               header.size(), row.size()));
    }
    const std::string file = trimmed(row[file_column]);
    if (file.empty()) return csv_error(name, line, "empty 'file' field");
    Metadata meta;
    for (const auto& [member, indexes] : columns) {
      for (std::size_t i : indexes) {
        if ((meta.*member).empty()) meta.*member = trimmed(row[i]);
      }
    }
    if (!meta.date.empty() && !normalize_date(meta.date)) {
      return csv_error(name, line, fmt::format("date '{}' is not YYYY-MM-DD", meta.date));
    }
    const std::string key = path_key(file);
    if (auto [seen, fresh] = first_line.emplace(key, line); !fresh) {
      return csv_error(name, line,
                       fmt::format("'{}' is listed twice (first on line {})", key, seen->second));
    }
    const Metadata& stored = catalog.rows_[key] = std::move(meta);
    const std::string file_name = std::filesystem::path{key}.filename().string();
    auto [entry, fresh] = catalog.by_name_.emplace(file_name, &stored);
    if (!fresh) entry->second = nullptr;  // two rows with this name: only paths can tell
  }
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
