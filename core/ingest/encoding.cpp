/// @file encoding.cpp
/// Detection with uchardet (Mozilla's detector) rather than ICU's: on a line or two of Russian
/// in windows-1251 or KOI8-R, ICU guessed ISO-8859-7 or -8 where uchardet was right, and
/// articles' titles are that short. Conversion with ICU's converters.
#include "ingest/encoding.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <uchardet/uchardet.h>
#include <spdlog/spdlog.h>
#include <utf8.h>

#include "ascii.h"

namespace clippings {
namespace {

constexpr std::size_t kPrescanBytes = 1024;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
/// What a browser reads a page in when nothing says otherwise.
constexpr const char* kFallback = "windows-1252";

struct Bom {
  std::string_view bytes;
  const char* encoding;
};
// UTF-32LE's mark starts with UTF-16LE's: longest first.
constexpr std::array<Bom, 5> kBoms = {{{"\xEF\xBB\xBF", "UTF-8"},
                                      {{"\xFF\xFE\x00\x00", 4}, "UTF-32LE"},
                                      {{"\x00\x00\xFE\xFF", 4}, "UTF-32BE"},
                                      {"\xFF\xFE", "UTF-16LE"},
                                      {"\xFE\xFF", "UTF-16BE"}}};

/// WHATWG's meaning of labels that differ from ICU's.
std::string browser_encoding(std::string label) {
  if (label == "iso-8859-1" || label == "latin1" || label == "us-ascii" || label == "ascii" ||
      label == "iso8859-1" || label == "l1") {
    return "windows-1252";
  }
  if (label == "gb2312" || label == "gbk" || label == "x-gbk") return "gb18030";
  if (label == "shift-jis" || label == "sjis" || label == "x-sjis") return "shift_jis";
  return label;
}

std::size_t count_replacements(std::string_view text) {
  std::size_t count = 0;
  for (auto pos = text.find(kReplacement); pos != std::string_view::npos;
       pos = text.find(kReplacement, pos + kReplacement.size())) {
    ++count;
  }
  return count;
}

/// ICU's callback for bytes that are not valid in the encoding: U+FFFD, counted. (ICU's own
/// substitute is U+001A in some single-byte encodings, and a lead byte cut off at the end of
/// the input would be dropped without a word.)
void replace_and_count(const void* context, UConverterToUnicodeArgs* args, const char*, int32_t,
                       UConverterCallbackReason reason, UErrorCode* error) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to replace
  ++*static_cast<std::size_t*>(const_cast<void*>(context));
  *error = U_ZERO_ERROR;
  static constexpr UChar kReplacementChar = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &kReplacementChar, 1, 0, error);
}

/// `bytes` in `encoding` (an ICU converter name or alias) as UTF-8; false when ICU has no
/// such converter.
bool convert(std::string_view bytes, const std::string& encoding, Decoded& out) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, void (*)(UConverter*)> from{ucnv_open(encoding.c_str(), &status), ucnv_close};
  if (U_FAILURE(status)) return false;
  status = U_ZERO_ERROR;  // not an ambiguous alias's warning
  std::unique_ptr<UConverter, void (*)(UConverter*)> to{ucnv_open("UTF-8", &status), ucnv_close};
  out.replaced = 0;
  ucnv_setToUCallBack(from.get(), replace_and_count, &out.replaced, nullptr, nullptr, &status);
  std::string text(bytes.size() * 3 + 16, '\0');
  const char* source = bytes.data();
  char* target = text.data();
  ucnv_convertEx(to.get(), from.get(), &target, text.data() + text.size(), &source,
                 bytes.data() + bytes.size(), nullptr, nullptr, nullptr, nullptr, true, true, &status);
  if (U_FAILURE(status)) return false;
  text.resize(static_cast<std::size_t>(target - text.data()));
  out.text = std::move(text);
  // Named as the web names it ("windows-1251"), not by ICU's table ("ibm-5347_P100-1998").
  const char* name = ucnv_getName(from.get(), &status);
  const char* standard = ucnv_getStandardName(name, "MIME", &status);
  if (standard == nullptr) standard = ucnv_getStandardName(name, "IANA", &status);
  out.encoding = standard != nullptr ? standard : name;
  return true;
}

Decoded as_utf8(std::string_view bytes, const char* how) {
  Decoded out;
  out.encoding = "UTF-8";
  out.how = how;
  if (utf8::find_invalid(bytes.begin(), bytes.end()) == bytes.end()) {
    out.text = bytes;
    return out;
  }
  utf8::replace_invalid(bytes.begin(), bytes.end(), std::back_inserter(out.text));
  out.replaced = count_replacements(out.text) - count_replacements(bytes);
  return out;
}

/// What a byte order mark says, if `bytes` starts with one.
std::optional<Decoded> by_bom(std::string_view bytes) {
  for (const Bom& bom : kBoms) {
    if (!bytes.starts_with(bom.bytes)) continue;
    const std::string_view rest = bytes.substr(bom.bytes.size());
    if (std::string_view{bom.encoding} == "UTF-8") return as_utf8(rest, "byte order mark");
    Decoded out;
    out.how = "byte order mark";
    if (convert(rest, bom.encoding, out)) return out;
  }
  return std::nullopt;
}

Decoded detected(std::string_view bytes) {
  Decoded out;
  out.how = "detected";
  std::unique_ptr<uchardet, void (*)(uchardet_t)> detector{uchardet_new(), uchardet_delete};
  std::string charset;
  if (uchardet_handle_data(detector.get(), bytes.data(), bytes.size()) == 0) {
    uchardet_data_end(detector.get());
    charset = ascii_lowered(uchardet_get_charset(detector.get()));
  }
  if (!charset.empty() && charset != "ascii" && convert(bytes, browser_encoding(charset), out)) return out;
  convert(bytes, kFallback, out);
  return out;
}

bool is_valid_utf8(std::string_view bytes) {
  return utf8::find_invalid(bytes.begin(), bytes.end()) == bytes.end();
}

/// The attributes of a tag's text (after "<meta"), names lower-cased as the text is.
std::map<std::string, std::string> attributes_of(std::string_view tag) {
  std::map<std::string, std::string> attributes;
  std::size_t i = 0;
  const auto skip_space = [&] {
    while (i < tag.size() && std::string_view{" \t\n\r\f/"}.find(tag[i]) != std::string_view::npos) ++i;
  };
  while (true) {
    skip_space();
    if (i >= tag.size()) break;
    const std::size_t name_start = i;
    while (i < tag.size() && std::string_view{" \t\n\r\f/="}.find(tag[i]) == std::string_view::npos) ++i;
    std::string name{tag.substr(name_start, i - name_start)};
    skip_space();
    std::string value;
    if (i < tag.size() && tag[i] == '=') {
      ++i;
      skip_space();
      if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
        const char quote = tag[i++];
        const std::size_t end = std::min(tag.find(quote, i), tag.size());
        value = tag.substr(i, end - i);
        i = end + 1;
      } else {
        const std::size_t start = i;
        while (i < tag.size() && std::string_view{" \t\n\r\f"}.find(tag[i]) == std::string_view::npos) ++i;
        value = tag.substr(start, i - start);
      }
    }
    attributes.emplace(std::move(name), std::move(value));  // the first of a name counts
  }
  return attributes;
}

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n\"'");
  const auto last = s.find_last_not_of(" \t\r\n\"'");
  return first == std::string::npos ? std::string{} : s.substr(first, last - first + 1);
}

}  // namespace

std::string declared_charset(std::string_view html) {
  const std::string head = ascii_lowered(html.substr(0, kPrescanBytes));
  for (std::size_t pos = head.find("<meta"); pos != std::string::npos; pos = head.find("<meta", pos + 5)) {
    const std::size_t end = std::min(head.find('>', pos), head.size());
    const auto attributes = attributes_of(std::string_view{head}.substr(pos + 5, end - pos - 5));
    if (auto charset = attributes.find("charset"); charset != attributes.end()) {
      if (std::string value = trimmed(charset->second); !value.empty()) return value;
    }
    const auto equiv = attributes.find("http-equiv");
    const auto content = attributes.find("content");
    if (equiv == attributes.end() || equiv->second != "content-type" || content == attributes.end()) {
      continue;
    }
    // content="text/html; charset=windows-1251"
    const std::string& type = content->second;
    const auto at = type.find("charset");
    const auto equals = at == std::string::npos ? std::string::npos : type.find('=', at);
    if (equals == std::string::npos) continue;
    if (std::string value = trimmed(type.substr(equals + 1, type.find(';', equals) - equals - 1));
        !value.empty()) {
      return value;
    }
  }
  return {};
}

std::string read_as_utf8(std::string_view bytes, Decoded (*decode)(std::string_view),
                         const std::string& location) {
  Decoded decoded = decode(bytes);
  if (decoded.encoding != "UTF-8") {
    spdlog::debug("{}: read as {} ({})", location, decoded.encoding, decoded.how);
  }
  if (decoded.replaced > 0) {
    spdlog::warn("{}: {} byte sequence(s) not valid in {} ({}) replaced with U+FFFD", location,
                 decoded.replaced, decoded.encoding, decoded.how);
  }
  return std::move(decoded.text);
}

Decoded decode_text(std::string_view bytes) {
  if (auto out = by_bom(bytes)) return std::move(*out);
  if (is_valid_utf8(bytes)) return as_utf8(bytes, "valid UTF-8");
  return detected(bytes);
}

Decoded decode_html(std::string_view bytes) {
  if (auto out = by_bom(bytes)) return std::move(*out);
  if (is_valid_utf8(bytes)) return as_utf8(bytes, "valid UTF-8");
  const std::string declared = browser_encoding(declared_charset(bytes));
  // A page that says UTF-8 and is not is UTF-8 with some bytes broken: repaired as such.
  if (declared == "utf-8" || declared == "utf8") return as_utf8(bytes, "declared");
  if (!declared.empty()) {
    Decoded out;
    out.how = "declared";
    if (convert(bytes, declared, out)) return out;
  }
  return detected(bytes);
}

}  // namespace clippings
