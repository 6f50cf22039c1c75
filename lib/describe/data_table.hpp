// The tables `sml-describe --data` reads, in one shape whatever the file: CSV/TSV (plain or
// gzip-compressed), JSON lines, a JSON array of objects, or a folder of CSVs with one header.
// Private to lib/describe.
#pragma once
#include <string>
#include <vector>

namespace sml::describe {

struct Table {
  std::vector<std::string> header;             // column names (CSV: the first line; JSON: the keys, first seen first)
  std::vector<std::vector<std::string>> rows;  // cells as text, at most max_rows
  std::size_t rows_total = 0;                  // rows seen (rows may hold fewer when a cap was hit)
  std::size_t ragged_rows = 0;                 // rows with more cells than the header names
  std::size_t first_ragged_line = 0;           // 1-based line of the first of them
  std::size_t widest_row = 0;
  std::size_t files = 1;
};

// Rows kept for the analysis; lines are counted up to max_rows.
struct TableLimits {
  std::size_t max_rows = 10'000'000;
  std::size_t keep_rows = 200'000;
};

// A .csv/.tsv file, gzip-compressed or not (zlib reads both; the suffix .gz is only a hint).
Table read_delimited(const std::string& path, const TableLimits& limits);
// A file of JSON objects: one per line (.jsonl/.ndjson) or a top-level array of them (.json).
Table read_json_objects(const std::string& path, const TableLimits& limits);
// Appends MORE's rows to ALL; InputError naming both files when their headers differ.
void append_table(Table& all, Table&& more, const std::string& all_name, const std::string& more_name);

}  // namespace sml::describe
