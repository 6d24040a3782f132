/// @file article.cpp
#include "article.h"

#include <array>
#include <memory>
#include <new>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>
#include <zstd.h>

namespace clippings {
namespace {

/// First byte of the stored data. A JSON object, the first format, starts with '{'.
constexpr char kFieldsFormat = '\x01';      ///< the fields as they are
constexpr char kCompressedFormat = '\x02';  ///< the same fields, as one zstd frame
/// zstd's default level: a little less compression than Xapian's zlib at one third the time.
constexpr int kCompressionLevel = 3;
/// What a corrupt frame header may make a reader allocate: far above any article.
constexpr unsigned long long kMaxStoredBytes = 1ull << 30;

/// The stored fields, in the order they are written, with their keys in the JSON object of
/// older databases.
struct StoredField {
  const char* json_key;
  std::string Article::*member;
};
constexpr std::array<StoredField, 10> kStoredFields{{
    {"id", &Article::id},
    {"title", &Article::title},
    {"outlet", &Article::outlet},
    {"date", &Article::date},
    {"url", &Article::url},
    {"author", &Article::author},
    {"lang", &Article::lang},
    {"text", &Article::text},
    {"source", &Article::source},
    {"source_file", &Article::source_file},
}};

void append_length(std::string& out, std::size_t length) {
  // Seven bits per byte, low bits first; the high bit says another byte follows.
  while (length >= 0x80) {
    out.push_back(static_cast<char>((length & 0x7f) | 0x80));
    length >>= 7;
  }
  out.push_back(static_cast<char>(length));
}

[[noreturn]] void corrupt(const char* what) {
  throw std::runtime_error(std::string{"corrupt document data: "} + what);
}

std::size_t read_length(std::string_view& in) {
  std::size_t length = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) corrupt("a field length is cut short");
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    length |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return length;
  }
  corrupt("a field length is too long");
}

struct ZstdFree {
  void operator()(ZSTD_CCtx* context) const { ZSTD_freeCCtx(context); }
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

ZSTD_CCtx* make_compressor() {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  if (context == nullptr) throw std::bad_alloc{};
  ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, kCompressionLevel);
  // A checksum of the content: damage is an error when read, not a changed article.
  ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
  return context;
}

// One context per thread, kept: making one costs more than compressing an article.
ZSTD_CCtx* compressor() {
  thread_local const std::unique_ptr<ZSTD_CCtx, ZstdFree> context{make_compressor()};
  return context.get();
}

ZSTD_DCtx* make_decompressor() {
  ZSTD_DCtx* context = ZSTD_createDCtx();
  if (context == nullptr) throw std::bad_alloc{};
  return context;
}

ZSTD_DCtx* decompressor() {
  thread_local const std::unique_ptr<ZSTD_DCtx, ZstdFree> context{make_decompressor()};
  return context.get();
}

std::string decompress(std::string_view frame) {
  const auto size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  // ZSTD_CONTENTSIZE_ERROR and _UNKNOWN are the two largest values: both fail the bound.
  if (size > kMaxStoredBytes) corrupt("not a compressed frame");
  std::string out(size, '\0');
  const std::size_t written =
      ZSTD_decompressDCtx(decompressor(), out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(written) || written != size) corrupt("the compressed frame is damaged");
  return out;
}

/// The fields after the format byte: each as its length and its bytes.
std::string encode_fields(const Article& article) {
  std::size_t bytes = 0;
  for (const auto& field : kStoredFields) bytes += (article.*field.member).size() + 3;
  std::string out;
  out.reserve(bytes);
  for (const auto& field : kStoredFields) {
    append_length(out, (article.*field.member).size());
    out += article.*field.member;
  }
  return out;
}

Article decode_fields(std::string_view in) {
  Article article;
  for (const auto& field : kStoredFields) {
    const std::size_t length = read_length(in);
    if (length > in.size()) corrupt("a field runs past the end");
    (article.*field.member).assign(in.substr(0, length));
    in.remove_prefix(length);
  }
  if (!in.empty()) corrupt("bytes after the last field");
  return article;
}

/// The JSON object of older databases; a missing key is an empty field.
Article from_json_object(const std::string& data) {
  const auto object = nlohmann::json::parse(data);
  Article article;
  for (const auto& [key, member] : kStoredFields) article.*member = object.value(key, std::string{});
  return article;
}

}  // namespace

std::string to_stored_data(const Article& article) {
  // Xapian would deflate the data, and every hit inflate it again: a tenth of a search's time.
  // A zstd frame decompresses in half that time, and Xapian stores it as it is (it cannot
  // shrink it further).
  const std::string fields = encode_fields(article);
  std::string out(1 + ZSTD_compressBound(fields.size()), '\0');
  out[0] = kCompressedFormat;
  const std::size_t frame =
      ZSTD_compress2(compressor(), out.data() + 1, out.size() - 1, fields.data(), fields.size());
  // A short article gains nothing from a frame (and a failure loses nothing): stored as it is.
  if (ZSTD_isError(frame) || frame >= fields.size()) return kFieldsFormat + fields;
  out.resize(1 + frame);
  return out;
}

Article from_stored_data(const std::string& data) {
  // Databases written before the length-prefixed format stored a JSON object.
  if (data.starts_with('{')) return from_json_object(data);
  if (data.empty()) corrupt("unknown format");
  const std::string_view rest = std::string_view{data}.substr(1);
  switch (data.front()) {
    case kFieldsFormat: return decode_fields(rest);
    case kCompressedFormat: return decode_fields(decompress(rest));
    default: corrupt("unknown format");
  }
}

}  // namespace clippings
