# Every dependency comes from a Debian package; each is exposed as an imported target.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(utf8cpp REQUIRED)
find_package(absl REQUIRED)
# Unicode folding for the outlet facet's word-prefix match (a transliterator: ICU::i18n).
find_package(ICU REQUIRED COMPONENTS uc i18n)

# Xapian's package config sets variables only: wrap them in one target.
find_package(xapian REQUIRED)
if(NOT TARGET Xapian::Xapian)
  add_library(Xapian::Xapian INTERFACE IMPORTED)
  set_target_properties(Xapian::Xapian PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}")
endif()

# Debian's cpp-httplib is a compiled library described by pkg-config only.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
# The stored articles' compression (core/article.cpp).
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
# Unicode normalisation, case and accent folding, transliteration and legacy encodings.
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
# The encoding of input that declares none (core/ingest/encoding.cpp).
pkg_check_modules(UCHARDET REQUIRED IMPORTED_TARGET uchardet)
# The indexer's content hashes of source files (core/index/fingerprint.cpp).
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
# The indexer's allocator: Xapian's inverter makes and frees millions of small map nodes, and
# jemalloc does that about a fifth faster than glibc's malloc (docs/BENCHMARKS.md).
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)

# A library that ships a header and a library file but no package config, as TARGET.
function(clippings_import_library target header library)
  string(MAKE_C_IDENTIFIER ${target} var)
  find_path(${var}_INCLUDE_DIR ${header} REQUIRED)
  find_library(${var}_LIBRARY ${library} REQUIRED)
  if(NOT TARGET ${target})
    add_library(${target} UNKNOWN IMPORTED GLOBAL)
    set_target_properties(${target} PROPERTIES
      IMPORTED_LOCATION "${${var}_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${${var}_INCLUDE_DIR}")
  endif()
endfunction()
clippings_import_library(LibCSV::LibCSV csv.h csv)
# The language of articles that do not say it (core/ingest/language.cpp).
clippings_import_library(CLD2::CLD2 cld2/public/compact_lang_det.h cld2)

if(CLIPPINGS_BUILD_TESTS)
  find_package(doctest REQUIRED)
endif()
