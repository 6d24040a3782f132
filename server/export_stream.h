/// @file export_stream.h
/// What the CSV and JSON Lines exports share: the file name, the headers that say how much of
/// the result the file holds, and writing every row from one database revision while the
/// client reads them.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <httplib.h>

#include "params.h"
#include "search/hit_stream.h"
#include "searcher_pool.h"

namespace clippings::http {

/// How one export format writes.
struct ExportFormat {
  std::string_view extension;     ///< of the file name: "csv", "jsonl"
  std::string_view content_type;
  std::string_view header;        ///< written before the first row ("" for none)
  void (*append_row)(std::string& out, const StreamedHit& hit);
};

/// `Content-Disposition` of an export of `q`: attachment; filename="clippings-port-strike.csv"
/// (lower-cased letters and digits of q, runs of anything else as one '-', at most 60
/// characters; "clippings.csv" for an empty q). When q has letters beyond ASCII, the ASCII
/// name keeps the ASCII ones and filename*=UTF-8''... (RFC 6266) carries them all.
std::string export_disposition(std::string_view q, std::string_view extension);

/// The rows of one export, written by a thread of its own as fast as the index gives them,
/// into an unlinked temporary file (in TMPDIR) from which the response reads as fast as the
/// client does. A Xapian reader keeps its revision only until the second commit after it:
/// read at the pace of a slow client, an export would need it for minutes; written ahead, for
/// the seconds the index takes. The searcher goes back to its pool once the last row is
/// written. Memory: the order of the matches (in the HitStream) and a buffer.
class ExportJob {
 public:
  /// Bytes a chunk of the response holds at most, and the writer's flush size.
  static constexpr std::size_t kChunkBytes = 64 * 1024;

  /// Starts writing `stream`'s rows, which `lease`'s Searcher made. Throws std::system_error
  /// when no temporary file can be made.
  ExportJob(const ExportFormat& format, SearcherPool::Lease lease, HitStream stream);
  /// Stops the writing thread (the client may have gone) and removes the file.
  ~ExportJob();
  ExportJob(const ExportJob&) = delete;
  ExportJob& operator=(const ExportJob&) = delete;

  enum class Next { kChunk, kEnd, kFailed };
  /// Waits for the next chunk of the file: kChunk with `out` filled, kEnd after the last row,
  /// or kFailed when writing failed (a revision overwritten by commits, a full disk): the rows
  /// sent are then all there will be, and the response must not look complete.
  Next next_chunk(std::string& out);

 private:
  void write_rows();
  void flush(std::string& buffer);

  const ExportFormat& format_;
  int fd_ = -1;
  std::optional<SearcherPool::Lease> lease_;  ///< reset, after `stream_`, once written
  std::optional<HitStream> stream_;
  std::mutex mutex_;
  std::condition_variable progress_;
  std::size_t written_ = 0;  ///< bytes in the file (guarded by mutex_)
  bool done_ = false, failed_ = false;
  std::size_t sent_ = 0;     ///< bytes handed to next_chunk's caller
  std::atomic<bool> stop_{false};
  std::thread writer_;       ///< last: it starts once everything above is ready
};

/// Answers with the export of `request`: 200, Content-Disposition, X-Total-Count (every
/// match), X-Export-Rows (rows in the file) and X-Export-Truncated ("true" when the whole
/// result was asked for and server.max_export_rows cut it, else "false"), then the rows as a
/// chunked body. If writing fails half-way, the connection closes without the final chunk, so
/// that the client sees a failed download, never a short file that looks whole.
void send_export(const ExportFormat& format, const ExportRequest& request,
                 SearcherPool::Lease lease, HitStream stream, httplib::Response& res);

}  // namespace clippings::http
