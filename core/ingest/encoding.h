/// @file encoding.h
/// Input bytes in any encoding to UTF-8, before anything else reads them: saved pages and
/// text files in windows-1251, KOI8-R, ISO-8859-x, Shift_JIS, GB18030 and the like.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace clippings {

/// Text read as UTF-8, and how.
struct Decoded {
  std::string text;       ///< UTF-8
  std::string encoding;   ///< the encoding it was read in ("UTF-8", "windows-1251", ...)
  std::string how;        ///< "byte order mark", "declared", "valid UTF-8" or "detected"
  std::size_t replaced = 0;  ///< sequences that were not valid in `encoding`, now U+FFFD
};

/// A text file: a byte order mark (UTF-8, UTF-16, UTF-32) says the encoding; else valid
/// UTF-8 is UTF-8; else the encoding is detected (uchardet), windows-1252 when it cannot be.
/// Bytes not valid in the encoding read become U+FFFD and are counted, never dropped.
Decoded decode_text(std::string_view bytes);

/// A saved HTML page: like decode_text, but between the byte order mark and the check for
/// UTF-8 comes what the page declares in its first 1024 bytes (<meta charset>, or an
/// http-equiv Content-Type), read as browsers read it (WHATWG: "iso-8859-1" and "ascii" mean
/// windows-1252, "gb2312" and "gbk" mean GB18030). Valid UTF-8 wins over a declaration of
/// another encoding: pages are often saved as UTF-8 with their old <meta> left in, and text
/// in a legacy encoding is practically never valid UTF-8 by chance.
Decoded decode_html(std::string_view bytes);

/// `decode(bytes)`'s text. Logs, naming `location`, the encoding when it was not UTF-8
/// (debug) and the sequences replaced (a warning: the text has lost something).
std::string read_as_utf8(std::string_view bytes, Decoded (*decode)(std::string_view),
                         const std::string& location);

/// The charset a page declares in its first 1024 bytes, lower-cased; "" when none.
std::string declared_charset(std::string_view html);

}  // namespace clippings
