/// @file format.cpp
/// Small shared pieces: input formats, origins, metadata merging, UTF-8 repair.
#include <iterator>

#include <utf8.h>

#include "ascii.h"
#include "ingest/ingest.h"

namespace clippings {

InputFormat format_of(const std::filesystem::path& path) {
  const std::string ext = ascii_lowered(path.extension().string());
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
