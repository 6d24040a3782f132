# Every dependency comes from a Debian package; each is exposed as an imported target.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(utf8cpp REQUIRED)
find_package(absl REQUIRED)

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
# The indexer's content hashes of source files (core/index/fingerprint.cpp).
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
# The indexer's allocator: Xapian's inverter makes and frees millions of small map nodes, and
# jemalloc does that about a fifth faster than glibc's malloc (docs/BENCHMARKS.md).
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)

# libcsv ships a header and a library, no package config.
find_path(LIBCSV_INCLUDE_DIR csv.h REQUIRED)
find_library(LIBCSV_LIBRARY csv REQUIRED)
if(NOT TARGET LibCSV::LibCSV)
  add_library(LibCSV::LibCSV UNKNOWN IMPORTED)
  set_target_properties(LibCSV::LibCSV PROPERTIES
    IMPORTED_LOCATION "${LIBCSV_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LIBCSV_INCLUDE_DIR}")
endif()

if(CLIPPINGS_BUILD_TESTS)
  find_package(doctest REQUIRED)
endif()
