/// @file reader.cpp
#include "index/reader.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace clippings {
namespace fs = std::filesystem;

namespace {

/// JSON Lines are handed to the parse threads in chunks of about this many bytes: large
/// enough to make queueing cheap, small enough to spread the work evenly.
constexpr std::size_t kChunkBytes = 256u << 10;
/// How long a read from a terminal or pipe waits before checking for an interrupt.
constexpr int kPollMillis = 200;

/// Closes a file descriptor on every path out of a function.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FileDescriptor() {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
  bool owned_;
};

std::string errno_text(int error) { return std::strerror(error); }

Origin origin_of(const SourceInput& input) {
  Origin origin;
  origin.file = input.path.string();
  if (!input.is_stdin()) {
    origin.relative_path = input.relative_path;
    origin.source_file = absolute_source_path(input.path);
  }
  return origin;
}

}  // namespace

std::string absolute_source_path(const fs::path& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal().string();
}

InputReader::InputReader(const Config& config, std::shared_ptr<const Catalog> catalog,
                         const std::atomic<bool>& stop)
    : config_(config), given_catalog_(std::move(catalog)), stop_(stop) {}

bool InputReader::stopping() {
  if (stop_.load(std::memory_order_relaxed)) interrupted_ = true;
  return interrupted_;
}

void InputReader::read(const SourcePlan& plan, BoundedQueue<WorkItem>& out, Window& window) {
  window_ = &window;
  if (given_catalog_) reject_bad_rows(*given_catalog_, out);
  for (const auto& input : plan.inputs) {
    if (stopping()) return;
    if (input.format == InputFormat::kJsonLines) {
      read_lines(input, out);
    } else {
      read_whole_file(input, out);
    }
  }
}

bool InputReader::emit(WorkItem item, BoundedQueue<WorkItem>& out) {
  window_->acquire();
  item.seq = next_seq_++;
  return out.push(std::move(item));
}

bool InputReader::reject(const std::string& location, const std::string& reason,
                         BoundedQueue<WorkItem>& out) {
  WorkItem item;
  item.kind = WorkItem::Kind::kRejection;
  item.rejection = Rejection{location, reason};
  return emit(std::move(item), out);
}

void InputReader::read_whole_file(const SourceInput& input, BoundedQueue<WorkItem>& out) {
  const std::string location = input.path.string();
  // Size is checked before reading so that one huge file cannot exhaust memory.
  struct stat info {};
  if (::stat(location.c_str(), &info) != 0) {
    reject(location, "cannot read: " + errno_text(errno), out);
    return;
  }
  if (S_ISDIR(info.st_mode)) {
    reject(location, "cannot read: is a directory", out);
    return;
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > config_.indexer.max_file_bytes) {
    reject(location, fmt::format("file is {} bytes, over the limit of {} bytes "
                                 "(indexer.max_file_bytes)", size, config_.indexer.max_file_bytes),
           out);
    return;
  }
  FileDescriptor fd{::open(location.c_str(), O_RDONLY | O_CLOEXEC), true};
  if (fd.get() < 0) {
    reject(location, "cannot read: " + errno_text(errno), out);
    return;
  }
  std::string content(size, '\0');
  std::size_t filled = 0;
  while (filled < content.size()) {
    const ssize_t n = ::read(fd.get(), content.data() + filled, content.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      reject(location, "cannot read: " + errno_text(errno), out);
      return;
    }
    if (n == 0) break;
    filled += static_cast<std::size_t>(n);
  }
  content.resize(filled);
  bytes_read_ += filled;
  if (content.empty()) {
    reject(location, "empty file", out);
    return;
  }
  WorkItem item;
  item.kind = WorkItem::Kind::kFile;
  item.format = input.format;
  item.origin = origin_of(input);
  item.content = std::move(content);
  item.catalog_row = catalog_row(input, out);
  emit(std::move(item), out);
}

std::optional<Metadata> InputReader::catalog_row(const SourceInput& input,
                                                 BoundedQueue<WorkItem>& out) {
  const Catalog* catalog = given_catalog_.get();
  if (!catalog) catalog = catalog_in(input.path.parent_path(), out);
  if (!catalog) catalog = catalog_in(input.root, out);
  if (!catalog) return std::nullopt;
  const Metadata* row = catalog->find(input.path);
  return row ? std::optional<Metadata>{*row} : std::nullopt;
}

const Catalog* InputReader::catalog_in(const fs::path& dir, BoundedQueue<WorkItem>& out) {
  const fs::path key = dir.empty() ? fs::path{"."} : dir;
  auto found = catalogs_.find(key);
  if (found == catalogs_.end()) {
    std::unique_ptr<Catalog> catalog;
    const fs::path csv = key / kCatalogFileName;
    std::error_code ec;
    if (fs::exists(csv, ec)) {
      auto loaded = Catalog::load(csv);
      if (loaded) {
        catalog = std::make_unique<Catalog>(std::move(*loaded));
        reject_bad_rows(*catalog, out);
      } else {
        // Reported once; the files it describes are still indexed, with what they hold.
        reject(csv.string(), loaded.error().message, out);
      }
    }
    found = catalogs_.emplace(key, std::move(catalog)).first;
  }
  return found->second.get();
}

void InputReader::reject_bad_rows(const Catalog& catalog, BoundedQueue<WorkItem>& out) {
  for (const auto& problem : catalog.problems()) {
    reject(fmt::format("{}:{}", catalog.name(), problem.line), problem.message, out);
  }
}

void InputReader::read_lines(const SourceInput& input, BoundedQueue<WorkItem>& out) {
  const std::string location = input.path.string();
  const bool from_stdin = input.is_stdin();
  FileDescriptor fd{from_stdin ? STDIN_FILENO : ::open(location.c_str(), O_RDONLY | O_CLOEXEC),
                    !from_stdin};
  if (fd.get() < 0) {
    reject(location, "cannot read: " + errno_text(errno), out);
    return;
  }
  const Origin origin = origin_of(input);
  const std::size_t max_line = config_.indexer.max_file_bytes;
  std::string pending;
  std::size_t next_line = 1;     // number of the first line in `pending`
  bool skipping_long = false;    // inside a line over the limit: drop bytes up to its end
  bool any_bytes = false;
  auto send = [&](std::string lines) {
    WorkItem item;
    item.kind = WorkItem::Kind::kLines;
    item.origin = origin;
    item.origin.line = next_line;
    next_line += static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n'));
    item.content = std::move(lines);
    return emit(std::move(item), out);
  };
  std::string buffer(kChunkBytes, '\0');
  while (!stopping()) {
    if (from_stdin) {
      pollfd waiting{fd.get(), POLLIN, 0};
      if (::poll(&waiting, 1, kPollMillis) == 0) continue;
    }
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      reject(fmt::format("{}:{}", location, next_line), "cannot read: " + errno_text(errno), out);
      return;
    }
    if (n == 0) break;
    any_bytes = true;
    bytes_read_ += static_cast<std::uint64_t>(n);
    std::string_view data{buffer.data(), static_cast<std::size_t>(n)};
    if (skipping_long) {
      const std::size_t end = data.find('\n');
      if (end == std::string_view::npos) continue;
      skipping_long = false;
      ++next_line;
      data.remove_prefix(end + 1);
    }
    pending.append(data);
    if (pending.size() < kChunkBytes) continue;
    const std::size_t last = pending.rfind('\n');
    if (last == std::string::npos) {
      if (pending.size() > max_line) {
        reject(fmt::format("{}:{}", location, next_line),
               fmt::format("line is over the limit of {} bytes (indexer.max_file_bytes)", max_line),
               out);
        pending.clear();
        skipping_long = true;
      }
      continue;
    }
    std::string rest = pending.substr(last + 1);
    pending.resize(last + 1);
    if (!send(std::move(pending))) return;
    pending = std::move(rest);
  }
  if (interrupted_) {
    // Complete lines already read are indexed; a partial last line is not complete input.
    pending.resize(pending.empty() ? 0 : pending.rfind('\n') + 1);
    if (!pending.empty()) send(std::move(pending));
    return;
  }
  if (!pending.empty()) {
    if (pending.back() != '\n') pending.push_back('\n');
    send(std::move(pending));
  } else if (!any_bytes && !from_stdin) {
    reject(location, "empty file", out);
  }
}

}  // namespace clippings
