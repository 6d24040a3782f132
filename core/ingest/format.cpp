/// @file format.cpp
/// Small shared pieces: input formats, origins, metadata merging, UTF-8 repair.
#include <algorithm>
#include <cctype>

#include <utf8.h>

#include "ingest/ingest.h"

namespace clippings {

InputFormat format_of(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".txt" || ext == ".md") return InputFormat::kText;
  if (ext == ".html" || ext == ".htm") return InputFormat::kHtml;
  if (ext == ".jsonl" || ext == ".ndjson") return InputFormat::kJsonLines;
  return InputFormat::kUnsupported;
}

std::string Origin::location() const {
  return line == 0 ? file : file + ":" + std::to_string(line);
}

void Metadata::fill_from(const Metadata& fallback) {
  for (auto field : {&Metadata::id, &Metadata::title, &Metadata::outlet, &Metadata::date,
                     &Metadata::url, &Metadata::author, &Metadata::lang}) {
    if ((this->*field).empty()) this->*field = fallback.*field;
  }
}

std::string repair_utf8(std::string_view bytes) {
  // Valid input (nearly all of it) is copied once, without the slower rewriting pass.
  if (utf8::find_invalid(bytes.begin(), bytes.end()) == bytes.end()) return std::string{bytes};
  std::string out;
  out.reserve(bytes.size() + 16);
  utf8::replace_invalid(bytes.begin(), bytes.end(), std::back_inserter(out));
  return out;
}

}  // namespace clippings
