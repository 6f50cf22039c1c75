// `sml-describe --data PATH`: what a data set is, read from its files' headers, never their whole
// contents: modality, sample and class counts (class-per-folder or a label column), sizes, image
// resolutions (PNG, JPEG, GIF, BMP headers), audio durations (WAV, FLAC headers), and the task ids
// that fit it.
#pragma once
#include <string>

#include "sml/io/doc.hpp"

namespace sml::describe {

struct DataLimits {
  std::size_t max_files = 2'000'000;   // files walked in a folder
  std::size_t max_headers = 5000;      // files whose headers are read for resolutions/durations
  int max_depth = 16;
  std::size_t max_rows = 10'000'000;   // lines counted in a CSV/JSONL file
};

// dataprofile/v1 for PATH (a folder, a CSV/TSV file or a JSON-lines file). InputError when PATH
// cannot be read or holds nothing recognisable.
Doc profile_data(const std::string& path, const DataLimits& limits = {});

}  // namespace sml::describe
