/// @file result.h
/// Expected failures as values: an HTTP-style status, a machine code and a message.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace clippings {

/// What went wrong, in terms a caller can show: {400, "invalid_query", "...", "q"}.
struct Error {
  Error() = default;
  Error(int status_, std::string code_, std::string message_, std::string param_,
        std::optional<std::size_t> position_ = std::nullopt)
      : status(status_), code(std::move(code_)), message(std::move(message_)),
        param(std::move(param_)), position(position_) {}

  int status = 500;
  std::string code;
  std::string message;
  std::string param;  ///< the offending parameter or config key, if any
  std::optional<std::size_t> position;  ///< where in the parameter's value (code points), if known
};

/// Either a value or an Error. Unexpected failures are exceptions, caught at the edges.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(state_); }
  const T& value() const { return std::get<T>(state_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

inline Error bad_request(std::string code, std::string message, std::string param = {}) {
  return Error{400, std::move(code), std::move(message), std::move(param)};
}
inline Error not_found(std::string message) {
  return Error{404, "not_found", std::move(message), {}};
}

}  // namespace clippings
