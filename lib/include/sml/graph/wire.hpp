// Protocol-buffer wire format, read directly. The ONNX loader walks a model with this instead of
// parsing it into protobuf messages so that weight payloads are skipped, not copied: a 350 MB
// model is profiled in a few MB of memory (issue 2; bench/profile_bench).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace sml::wire {

enum WireType : int { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

struct Field {
  std::uint32_t number = 0;
  WireType type = kVarint;
  std::uint64_t varint = 0;     // kVarint, kFixed64, kFixed32 (raw bits)
  std::string_view bytes;       // kLengthDelimited: the payload, pointing into the buffer
  std::size_t offset = 0;       // where the payload starts, from the start of the whole buffer
};

// Reads the fields of one message in order. Errors (truncation, bad wire type, a length past the
// end) throw WireError with the offset, which the loader turns into a message naming the file.
class Reader {
 public:
  Reader(std::string_view message, std::size_t base_offset)
      : data_(message), base_(base_offset) {}
  bool next(Field& field);
  std::size_t position() const { return base_ + pos_; }

 private:
  std::uint64_t read_varint();
  std::string_view data_;
  std::size_t pos_ = 0;
  std::size_t base_ = 0;
};

struct WireError {
  std::size_t offset;
  std::string what;
};

// Packed repeated scalars: iterate the varints in a length-delimited payload.
template <typename F>
void for_each_packed_varint(const Field& f, F&& fn) {
  const auto* p = reinterpret_cast<const unsigned char*>(f.bytes.data());
  const auto* end = p + f.bytes.size();
  while (p < end) {
    std::uint64_t v = 0;
    int shift = 0;
    for (;;) {
      if (p >= end || shift > 63) throw WireError{f.offset, "truncated packed varint"};
      unsigned char b = *p++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
    }
    fn(v);
  }
}

}  // namespace sml::wire
