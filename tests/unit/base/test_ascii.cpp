/// @file test_ascii.cpp
#include <doctest/doctest.h>

#include "ascii.h"

using namespace clippings;

TEST_CASE("ascii_lowered lower-cases A to Z and passes every other byte through") {
  CHECK(ascii_lowered("ÉCOLE Straße HTTPS://News.EXAMPLE/Ä") == "École straße https://news.example/Ä");
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    const bool upper = byte >= 'A' && byte <= 'Z';
    CAPTURE(byte);
    CHECK(ascii_lower(c) == (upper ? static_cast<char>(byte + 32) : c));
  }
}
