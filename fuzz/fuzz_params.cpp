/// @file fuzz_params.cpp
/// Request parameters: "name=value&..." as the HTTP library hands them over (decoded), through
/// every parse function of the API; and percent-encoding, which must round-trip.
#include "check.h"
#include "params.h"

using namespace clippings;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ServerSettings settings = default_config().server;
  const std::string_view input = fuzz::as_text(data, size);
  http::Params params;
  for (std::size_t start = 0; start <= input.size();) {
    const std::size_t end = std::min(input.find('&', start), input.size());
    const std::string_view pair = input.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    params.emplace(std::string{pair.substr(0, equals)},
                   equals == std::string_view::npos ? "" : std::string{pair.substr(equals + 1)});
    start = end + 1;
  }
  for (auto format : {http::SearchFormat::kJson, http::SearchFormat::kAtom}) {
    auto request = http::parse_search_params(params, settings, format);
    if (!request) {
      // Every error names a parameter the request has (its name may be empty: "?=x"), but
      // for a name that is not UTF-8, which JSON cannot quote.
      const Error& error = request.error();
      FUZZ_CHECK(error.status == 400);
      FUZZ_CHECK(params.count(error.param) > 0 || (error.param.empty() && error.code == "unknown_parameter"));
      continue;
    }
    const auto limits = http::size_limits(format);
    FUZZ_CHECK(request->size >= 1 && request->size <= limits.max_size);
    FUZZ_CHECK(request->page >= 1);
    FUZZ_CHECK(request->from.empty() || request->to.empty() || request->from <= request->to);
  }
  if (auto request = http::parse_export_params(params, settings)) {
    const auto most = static_cast<Xapian::doccount>(settings.max_export_rows);
    FUZZ_CHECK(request->limit >= 1 && request->offset + request->limit <= most);
  } else {
    FUZZ_CHECK(request.error().status == 400);
  }
  if (auto q = http::parse_article_params(params, settings); !q) FUZZ_CHECK(q.error().status == 400);
  if (auto similar = http::parse_similar_params(params)) {
    FUZZ_CHECK(*similar >= 1 && *similar <= http::kSimilarMaxSize);
  }
  if (auto number = http::parse_int_param(std::string{input}, -5, 5, "n")) {
    FUZZ_CHECK(*number >= -5 && *number <= 5);
  }
  if (auto decoded = http::percent_decode(input, "id")) {
    FUZZ_CHECK(utf8::is_valid(decoded->begin(), decoded->end()));
  }
  // Any text a parameter may hold round-trips; one it may not (a control character, invalid
  // UTF-8) is refused however it was encoded.
  auto round_trip = http::percent_decode(http::percent_encode(input), "id");
  if (!check_text(input, "id")) {
    FUZZ_CHECK(round_trip && *round_trip == input);
  } else {
    FUZZ_CHECK(!round_trip && round_trip.error().status == 400);
  }
  return 0;
}
