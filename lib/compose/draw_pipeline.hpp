// Private to lib/compose: weight values drawn on worker threads while the caller writes them.
// Blocks are drawn ahead (a few at most, so memory stays bounded) and handed out strictly in order;
// what a block holds depends only on its tensor and position (WeightStream), so the output is the
// same whatever the number of threads or their timing.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "weights.hpp"

namespace sml::compose {

struct DrawBlock {
  const WeightStream* stream;
  std::int64_t start, count;  // values
};

class DrawPipeline {
 public:
  // THREADS workers (at least 1), at most DEPTH blocks drawn ahead of the caller.
  DrawPipeline(std::vector<DrawBlock> blocks, unsigned threads, std::size_t depth = 4);
  ~DrawPipeline();
  DrawPipeline(const DrawPipeline&) = delete;
  DrawPipeline& operator=(const DrawPipeline&) = delete;
  // The next block's bytes, in the order given; valid until the next call. A worker's exception
  // is rethrown here.
  const std::vector<char>& next();

 private:
  void work();
  void stop_and_join();
  std::vector<DrawBlock> blocks_;
  std::size_t depth_;
  std::vector<std::vector<char>> slots_;
  std::vector<std::int64_t> ready_;  // per slot: the block it holds, or -1
  std::size_t claimed_ = 0, released_ = 0;
  bool handed_ = false, stop_ = false;
  std::exception_ptr error_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::thread> workers_;
};

// Worker threads for drawing: two (the two cores), fewer on a one-core machine.
unsigned draw_threads();

}  // namespace sml::compose
