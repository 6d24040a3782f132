/// @file transliteration.h
/// Cyrillic words in Latin letters and back, with ICU's transforms, the way English-language
/// news spells Russian, Ukrainian and Belarusian names: "Цуканова" is "Tsukanova", "Путь
/// домой" is "Put Domoy".
///
/// The scheme is BGN/PCGN (ICU's Russian-Latin/BGN, Ukrainian-Latin/BGN...), the one English
/// news agencies follow, made ASCII, with the soft and hard signs dropped ("Навальный" is
/// "navalnyy", where BGN writes "Navalʹnyy"). News spellings still vary ("Navalny", "Dmitriy",
/// "Dmitry", "Dmitrii", "Yevgeny", "Evgeny"), so matching goes through a key that the variants
/// share (translit_key) and, the other way, through the variants themselves
/// (spelling_variants).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clippings::text {

/// Whether `text` has a Cyrillic letter (U+0400 to U+052F).
bool has_cyrillic(std::string_view text);

/// Whether `word` is written in Latin letters: a letter a-z or a Latin letter with a
/// diacritic, and no Cyrillic.
bool is_latin_word(std::string_view word);

/// A lower-case Cyrillic word in lower-case ASCII Latin letters by the BGN/PCGN scheme of
/// `lang` (ISO 639-1: ru, uk, be, bg, mk, sr, kk, ky, mn; any other code gets Russian's), signs
/// dropped. Latin letters in it stay as they are.
std::string romanize(std::string_view word, std::string_view lang);

/// The key that the usual Latin spellings of one Cyrillic word share, from lower-case ASCII:
/// signs (' and ") dropped, "yy" as "y" ("Kyyiv", "Kyiv"), "ye" as "e" ("Yevgeny",
/// "Evgeny"), "iya" as "ia", and a final "iy", "ii", "ij" or "i" as "y" ("Dmitriy",
/// "Dmitrii", "Dmitri", "Dmitry").
std::string translit_key(std::string_view latin);

/// The spellings English-language news uses for a romanize()d word, itself first: endings
/// "iy"/"yy" also as "y", "i", "ii" ("Navalnyy", "Navalny"), "ye" also as "e", "iya" also as
/// "ia". At most a dozen.
std::vector<std::string> spelling_variants(std::string_view romanized);

/// A lower-case Latin word read back into Russian Cyrillic (ICU's Latin-Russian/BGN): the
/// guess that lets the Russian stemmer strip a Latin-spelt ending ("tsukanovoy").
std::string cyrillize(std::string_view latin);

}  // namespace clippings::text
