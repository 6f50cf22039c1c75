#include "sml/describe/data_profile.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sys/stat.h>
#include <dirent.h>

#include "data_table.hpp"
#include "sml/io/error.hpp"
#include "sml/io/text.hpp"

namespace sml::describe {
namespace {

std::string extension(const std::string& name) {
  const auto dot = name.find_last_of('.');
  return dot == std::string::npos ? "" : to_lower(name.substr(dot + 1));
}

std::string modality_of(const std::string& ext) {
  static const std::set<std::string> image = {"jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "dcm"};
  static const std::set<std::string> audio = {"wav", "flac", "mp3", "ogg", "m4a", "opus"};
  static const std::set<std::string> video = {"mp4", "avi", "mov", "mkv", "webm"};
  static const std::set<std::string> text = {"txt", "md", "json", "xml", "html"};
  if (image.count(ext)) return "image";
  if (audio.count(ext)) return "audio";
  if (video.count(ext)) return "video";
  if (text.count(ext)) return "text";
  return "";
}

std::string read_head(const std::string& path, std::size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string buf(n, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(n));
  buf.resize(static_cast<std::size_t>(in.gcount()));
  return buf;
}

std::uint32_t be32(const std::string& b, std::size_t i) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[i])) << 24) | (static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 2])) << 8) | static_cast<unsigned char>(b[i + 3]);
}
std::uint32_t le32(const std::string& b, std::size_t i) {
  return static_cast<unsigned char>(b[i]) | (static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 1])) << 8) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 2])) << 16) | (static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 3])) << 24);
}
std::uint16_t le16(const std::string& b, std::size_t i) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[i]) | (static_cast<unsigned char>(b[i + 1]) << 8));
}
std::uint16_t be16(const std::string& b, std::size_t i) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(b[i]) << 8) | static_cast<unsigned char>(b[i + 1]));
}

// Width × height from an image header; {0, 0} when the header is not understood.
std::pair<long, long> image_size(const std::string& path) {
  const std::string b = read_head(path, 64 * 1024);
  if (b.size() >= 24 && b.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0 && b.compare(12, 4, "IHDR") == 0)
    return {be32(b, 16), be32(b, 20)};
  if (b.size() >= 10 && (b.compare(0, 6, "GIF87a") == 0 || b.compare(0, 6, "GIF89a") == 0)) return {le16(b, 6), le16(b, 8)};
  if (b.size() >= 26 && b[0] == 'B' && b[1] == 'M') return {static_cast<long>(le32(b, 18)), std::labs(static_cast<int32_t>(le32(b, 22)))};
  if (b.size() >= 4 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8) {
    // JPEG: walk the segments to a start-of-frame marker.
    std::size_t i = 2;
    while (i + 9 < b.size()) {
      if (static_cast<unsigned char>(b[i]) != 0xFF) return {0, 0};
      const unsigned char marker = static_cast<unsigned char>(b[i + 1]);
      const std::size_t len = be16(b, i + 2);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
        return {be16(b, i + 7), be16(b, i + 5)};
      if (len < 2) return {0, 0};
      i += 2 + len;
    }
  }
  return {0, 0};
}

// Duration in seconds from a WAV or FLAC header; negative when unknown.
double audio_seconds(const std::string& path) {
  const std::string b = read_head(path, 64 * 1024);
  if (b.size() >= 12 && b.compare(0, 4, "RIFF") == 0 && b.compare(8, 4, "WAVE") == 0) {
    std::uint32_t byte_rate = 0;
    for (std::size_t i = 12; i + 8 <= b.size();) {
      const std::string id = b.substr(i, 4);
      const std::uint32_t size = le32(b, i + 4);
      if (id == "fmt " && i + 16 <= b.size()) byte_rate = le32(b, i + 16);
      if (id == "data") return byte_rate ? static_cast<double>(size) / byte_rate : -1;
      i += 8 + size + (size & 1);
    }
    return -1;
  }
  if (b.size() >= 42 && b.compare(0, 4, "fLaC") == 0) {
    // STREAMINFO: 20-bit sample rate and 36-bit total samples, from byte 18 of the file.
    const std::uint64_t bits = (static_cast<std::uint64_t>(be32(b, 18)) << 32) | be32(b, 22);
    const std::uint64_t rate = bits >> 44;
    const std::uint64_t total = bits & ((std::uint64_t(1) << 36) - 1);
    return rate ? static_cast<double>(total) / static_cast<double>(rate) : -1;
  }
  return -1;
}

struct Walk {
  std::vector<std::pair<std::string, std::string>> files;  // path, relative path
  bool truncated = false;
};

void walk(const std::string& root, const std::string& rel, int depth, const DataLimits& limits, Walk& w) {
  if (depth > limits.max_depth || w.truncated) return;
  DIR* d = ::opendir((root + (rel.empty() ? "" : "/" + rel)).c_str());
  if (!d) return;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != ".." && n[0] != '.') names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    const std::string r = rel.empty() ? n : rel + "/" + n;
    const std::string full = root + "/" + r;
    struct stat st {};
    if (::lstat(full.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) continue;  // symlinks are not followed
    if (S_ISDIR(st.st_mode)) walk(root, r, depth + 1, limits, w);
    else if (S_ISREG(st.st_mode)) {
      if (w.files.size() >= limits.max_files) { w.truncated = true; return; }
      w.files.emplace_back(full, r);
    }
  }
}

Doc stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Doc d = Doc::map();
  d.set("min", v.front());
  d.set("median", v[v.size() / 2]);
  d.set("max", v.back());
  return d;
}

Doc profile_table(const std::string& path, const Table& tab);
std::string table_kind(const std::string& name);
Table read_table(const std::string& path, const DataLimits& limits);

Doc profile_folder(const std::string& path, const DataLimits& limits) {
  Walk w;
  walk(path, "", 0, limits, w);
  std::map<std::string, std::size_t> by_modality;
  std::vector<std::string> tables;
  for (const auto& [full, rel] : w.files) {
    if (table_kind(rel) == "csv") tables.push_back(full);
    ++by_modality[modality_of(extension(rel))];
  }
  by_modality.erase("");
  // A folder of CSVs (a table split into parts, as exports and Kaggle sets ship them) is one table.
  if (!tables.empty() && tables.size() * 2 > w.files.size()) {
    Table all = read_table(tables.front(), limits);
    for (std::size_t i = 1; i < tables.size(); ++i) append_table(all, read_table(tables[i], limits), tables.front(), tables[i]);
    return profile_table(path, all);
  }
  if (by_modality.empty()) throw InputError(path + ": no image, audio, video or text files found");
  const std::string modality = std::max_element(by_modality.begin(), by_modality.end(),
                                                [](auto& a, auto& b) { return a.second < b.second; })->first;
  // Class per folder: the folder a file sits in, below split folders such as train/ and val/.
  static const std::set<std::string> splits = {"train", "training", "val", "valid", "validation", "test", "testing", "dev"};
  std::set<std::string> classes, split_names;
  std::vector<std::pair<std::string, std::string>> chosen;
  for (const auto& f : w.files)
    if (modality_of(extension(f.second)) == modality) chosen.push_back(f);
  bool all_in_folders = true;
  for (const auto& [full, rel] : chosen) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (auto slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', start)) {
      parts.push_back(rel.substr(start, slash - start));
      start = slash + 1;
    }
    std::size_t i = 0;
    if (!parts.empty() && splits.count(to_lower(parts[0]))) split_names.insert(parts[i++]);
    if (i < parts.size()) classes.insert(parts[i]);
    else all_in_folders = false;
  }
  Doc doc = new_document("dataprofile/v1", "sml-describe");
  doc.set("path", path);
  doc.set("modality", modality);
  doc.set("samples", static_cast<long long>(chosen.size()));
  doc.set("classes", all_in_folders && classes.size() >= 2 ? Doc(static_cast<long long>(classes.size())) : Doc());
  doc.set("classes_from", all_in_folders && classes.size() >= 2 ? "one folder per class" : "no class folders found");
  if (!split_names.empty()) {
    Doc& s = doc["splits"] = Doc::list();
    for (const auto& n : split_names) s.push(n);
  }
  double bytes = 0;
  std::vector<double> widths, heights, seconds;
  std::size_t read = 0;
  for (const auto& [full, rel] : chosen) {
    struct stat st {};
    if (::stat(full.c_str(), &st) == 0) bytes += static_cast<double>(st.st_size);
    if (read++ >= limits.max_headers) continue;
    if (modality == "image") {
      auto [wd, ht] = image_size(full);
      if (wd > 0 && ht > 0) { widths.push_back(static_cast<double>(wd)); heights.push_back(static_cast<double>(ht)); }
    } else if (modality == "audio") {
      const double s = audio_seconds(full);
      if (s >= 0) seconds.push_back(s);
    }
  }
  doc.set("bytes", bytes);
  if (!widths.empty()) {
    Doc& img = doc["image"] = Doc::map();
    img.set("width", stats(widths));
    img.set("height", stats(heights));
    img.set("headers_read", static_cast<long long>(widths.size()));
  }
  if (!seconds.empty()) {
    Doc& a = doc["audio"] = Doc::map();
    a.set("duration_s", stats(seconds));
    double total = 0;
    for (double s : seconds) total += s;
    a.set("headers_read", static_cast<long long>(seconds.size()));
    a.set("hours_read", total / 3600);
  }
  if (w.truncated) doc.set("note", "stopped after " + std::to_string(limits.max_files) + " files");
  Doc& tasks = doc["suggested_tasks"] = Doc::list();
  const bool labelled = all_in_folders && classes.size() >= 2;
  if (modality == "image") {
    if (labelled) tasks.push("image-classification");
    for (const char* t : {"object-detection", "image-segmentation", "feature-extraction"}) tasks.push(t);
  } else if (modality == "audio") {
    if (labelled) tasks.push("audio-classification");
    for (const char* t : {"automatic-speech-recognition", "voice-activity-detection"}) tasks.push(t);
  } else if (modality == "video") {
    tasks.push("video-classification");
  } else {
    if (labelled) tasks.push("text-classification");
    for (const char* t : {"feature-extraction", "summarization"}) tasks.push(t);
  }
  return doc;
}

bool numeric(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && *end == '\0';
}

// What a table is: the same analysis whether it came from CSV, JSON lines, a JSON array or a
// folder of CSVs, so the same data gives the same label and time columns in every form.
Doc profile_table(const std::string& path, const Table& tab) {
  Doc doc = new_document("dataprofile/v1", "sml-describe");
  doc.set("path", path);
  std::vector<std::string> header = tab.header;
  // Rows wider than the header (scikit-learn's wine and breast-cancer CSVs start with a line of
  // counts and class names): the columns are the rows', the header is reported as short, and the
  // unnamed columns are called by their number.
  const bool short_header = tab.ragged_rows > 0;
  for (std::size_t i = header.size(); i < tab.widest_row; ++i) header.push_back("column " + std::to_string(i + 1));
  if (header.empty()) throw InputError(path + ": no columns");
  // The label: a column named like one, else the last column.
  std::size_t label = header.size() - 1;
  static const std::set<std::string> label_names = {"label", "labels", "class", "target", "y", "category", "outcome", "churn"};
  for (std::size_t i = 0; i < header.size(); ++i)
    if (label_names.count(to_lower(header[i]))) label = i;
  std::size_t time_col = header.size();
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string h = to_lower(header[i]);
    if (h == "date" || h == "time" || h == "timestamp" || h == "datetime" || h == "ds") time_col = i;
  }
  std::size_t long_text = 0;
  std::map<std::string, std::size_t> values;
  bool label_numeric = true;
  for (const auto& cells : tab.rows) {
    if (label < cells.size()) {
      if (values.size() <= 1000) ++values[cells[label]];
      label_numeric = label_numeric && numeric(cells[label]);
    }
    for (const auto& c : cells) long_text += c.size() > 80 ? 1 : 0;
  }
  const std::size_t rows = tab.rows_total;
  // Text: a column named for it (short sentences too), or long cells in most rows.
  static const std::set<std::string> text_names = {"text", "sentence", "review", "content", "document"};
  bool text_column = false;
  for (const auto& h : header) text_column = text_column || text_names.count(to_lower(h)) > 0;
  const bool text = text_column || long_text > tab.rows.size() / 2;
  const bool classification = !label_numeric || values.size() <= 20;
  doc.set("modality", text ? "text" : time_col < header.size() ? "time-series" : "tabular");
  doc.set("samples", static_cast<long long>(rows));
  doc.set("classes", classification && values.size() >= 2 && values.size() <= 1000 ? Doc(static_cast<long long>(values.size())) : Doc());
  Doc& t = doc["table"] = Doc::map();
  t.set("columns", static_cast<long long>(header.size()));
  t.set("label_column", header[label]);
  if (time_col < header.size()) t.set("time_column", header[time_col]);
  if (tab.files > 1) t.set("files", static_cast<long long>(tab.files));
  if (short_header) {
    t.set("header_fields", static_cast<long long>(tab.header.size()));
    t.set("rows_wider_than_header", static_cast<long long>(tab.ragged_rows));
    doc.set("note", "the header names " + std::to_string(tab.header.size()) + " fields but " + std::to_string(tab.ragged_rows) +
                        " rows have up to " + std::to_string(tab.widest_row) + " (first at line " + std::to_string(tab.first_ragged_line) +
                        "): the header is not the columns' names (a line of counts, or names missing); columns past it are numbered");
  }
  Doc& tasks = doc["suggested_tasks"] = Doc::list();
  if (text) tasks.push(classification ? "text-classification" : "text-generation");
  else if (time_col < header.size()) tasks.push("time-series-forecasting");
  tasks.push(classification ? "tabular-classification" : "tabular-regression");
  tasks.push("anomaly-detection");
  return doc;
}

// The kinds of table file --data reads, by name: "csv" (and tsv), "json", or "".
std::string table_kind(const std::string& name) {
  std::string n = to_lower(name);
  if (ends_with(n, ".gz")) n.resize(n.size() - 3);
  const std::string ext = extension(n);
  if (ext == "csv" || ext == "tsv") return "csv";
  if (ext == "jsonl" || ext == "ndjson" || ext == "json") return "json";
  return "";
}

Table read_table(const std::string& path, const DataLimits& limits) {
  TableLimits l;
  l.max_rows = limits.max_rows;
  return table_kind(path) == "csv" ? read_delimited(path, l) : read_json_objects(path, l);
}

}  // namespace

Doc profile_data(const std::string& path, const DataLimits& limits) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw InputError(path + ": no such file or folder");
  if (S_ISDIR(st.st_mode)) return profile_folder(path, limits);
  if (!table_kind(path).empty()) return profile_table(path, read_table(path, limits));
  throw InputError(path + ": --data expects a folder, a .csv/.tsv file (or .csv.gz), a .jsonl file or a .json array");
}

}  // namespace sml::describe
