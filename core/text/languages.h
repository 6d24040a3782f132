/// @file languages.h
/// Language codes as articles give them, made one form (ISO 639-1), and what a page needs to
/// show them: a name and the direction of the script. From ICU's locale data.
#pragma once

#include <string>
#include <string_view>

namespace clippings::text {

/// The ISO 639-1 code of what an input calls a language: a BCP 47 tag ("en-US", "zh-Hant",
/// "sr_Latn"), an ISO 639-2 code ("rus", "ger"), a withdrawn code ("iw", "in"), or the
/// language's English or own name ("Russian", "русский"), in any case. "" when it names no
/// language ICU knows.
std::string language_code(std::string_view text);

/// The English name of a language code ("Russian" for "ru"); the code when ICU has no name.
std::string language_name(std::string_view code);

/// Whether two languages share no script (Russian and English do not; French and English do):
/// ICU's scripts of each. False when ICU knows no script for either.
bool written_apart(std::string_view a, std::string_view b);

/// Whether a language is written right to left (Arabic, Hebrew, Persian, Urdu...).
bool is_right_to_left(std::string_view code);

}  // namespace clippings::text
