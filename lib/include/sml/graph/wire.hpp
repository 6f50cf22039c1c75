// Protocol-buffer wire format, read directly from a byte source. The ONNX loader walks a model
// with this instead of parsing it into protobuf messages, so weight payloads are skipped, never
// read: a 350 MB model is profiled in a few MB of memory (issue 2; bench/run_profile_bench.sh).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sml::wire {

struct WireError {
  std::size_t offset;
  std::string what;
};

// Where the bytes come from: memory (stdin, tests) or a file read with pread in small blocks.
// Reading a range past the end throws WireError.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t size() const = 0;
  // Bytes [offset, offset + length); the view stays valid until the next call on this source.
  virtual std::string_view read(std::size_t offset, std::size_t length) const = 0;
  // A copy of the same range (for payloads that outlive the next read).
  std::string copy(std::size_t offset, std::size_t length) const;
};

std::unique_ptr<ByteSource> memory_source(std::string bytes);
// Takes ownership of FD. Reads in blocks; never maps or reads the parts nobody asks for.
std::unique_ptr<ByteSource> file_source(int fd, std::size_t size);

enum WireType : int { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

struct Field {
  std::uint32_t number = 0;
  WireType type = kVarint;
  std::uint64_t varint = 0;     // kVarint, kFixed64, kFixed32 (raw bits)
  std::size_t offset = 0;       // kLengthDelimited: where the payload starts in the source
  std::size_t length = 0;       // kLengthDelimited: payload size
};

// Reads the fields of one message, [begin, end) of SOURCE, in order. Payloads of
// length-delimited fields are not read unless asked for (payload(), sub()).
class Reader {
 public:
  Reader(const ByteSource& source, std::size_t begin, std::size_t end) : source_(&source), pos_(begin), end_(end) {}
  bool next(Field& field);
  static constexpr std::size_t kMaxPayload = std::size_t(1) << 30;

 private:
  std::uint64_t read_varint();
  const ByteSource* source_;
  std::size_t pos_;
  std::size_t end_;
};

// Packed repeated scalars: calls FN with each varint in PAYLOAD.
template <typename F>
void for_each_packed_varint(std::string_view payload, std::size_t offset, F&& fn) {
  const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
  const auto* end = p + payload.size();
  while (p < end) {
    std::uint64_t v = 0;
    int shift = 0;
    for (;;) {
      if (p >= end || shift > 63) throw WireError{offset, "truncated packed varint"};
      unsigned char b = *p++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
    }
    fn(v);
  }
}

}  // namespace sml::wire
