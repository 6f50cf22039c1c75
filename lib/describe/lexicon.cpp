#include "sml/describe/lexicon.hpp"

#include <hunspell/hunspell.hxx>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>

#include "sml/describe/text_task.hpp"

namespace sml::describe {
namespace {

// Debian's hunspell-en-us and wordnet-base install here; SML_HUNSPELL_DIR / SML_WORDNET_DIR
// override (for other distributions).
std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}
bool readable(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// WordNet noun synsets that name the general kinds a problem statement's objects fall under, and
// the word each stands for. A word is generalised when one of its senses has such an ancestor.
const std::map<std::string, std::string>& anchors() {
  static const std::map<std::string, std::string> a = {
      {"bird", "bird"}, {"fish", "fish"}, {"insect", "insect"}, {"mammal", "animal"}, {"reptile", "animal"},
      {"amphibian", "animal"}, {"dog", "dog"}, {"cat", "animal"}, {"weed", "weed"}, {"tree", "tree"},
      {"flower", "flower"}, {"herb", "plant"}, {"vascular_plant", "plant"}, {"fungus", "fungus"}, {"edible_fruit", "fruit"},
      {"vegetable", "vegetable"}, {"dish", "food"}, {"foodstuff", "food"}, {"exercise", "exercise"},
      {"sport", "sport"}, {"document", "document"}, {"letter", "letter"},
      {"bill", "document"}, {"motor_vehicle", "vehicle"}, {"aircraft", "vehicle"},
      {"vessel", "vehicle"}, {"garment", "clothing"}, {"footwear", "clothing"}, {"disease", "disease"},
      {"tumor", "disease"}, {"musical_instrument", "instrument"}, {"song", "music"}, {"dance", "dance"},
      {"weapon", "weapon"}, {"furniture", "furniture"}};
  return a;
}

// What WordNet 3.0 does not know, in the same form: word -> general word.
const std::map<std::string, std::string>& curated() {
  static const std::map<std::string, std::string> c = {
      {"burpee", "exercise"}, {"deadlift", "exercise"}, {"pushup", "exercise"}, {"push-up", "exercise"},
      {"pullup", "exercise"}, {"pull-up", "exercise"}, {"plank", "exercise"}, {"lunge", "exercise"},
      {"squat", "exercise"}, {"crunch", "exercise"}, {"kettlebell", "exercise"}, {"situp", "exercise"},
      {"sit-up", "exercise"}, {"bench press", "exercise"}, {"jumping jack", "exercise"}, {"payslip", "document"},
      {"receipt", "document"}, {"invoice", "document"}, {"waybill", "document"}, {"datasheet", "document"}, {"pdf", "document"}};
  return c;
}

// The line of a sorted WordNet index file whose first field is KEY ("" if none): a binary
// search on the file, so nothing is read whole.
std::string index_line(std::ifstream& index, const std::string& key) {
  index.clear();
  index.seekg(0, std::ios::end);
  long lo = 0, hi = static_cast<long>(index.tellg());
  std::string line;
  while (lo < hi) {
    const long mid = (lo + hi) / 2;
    index.clear();
    index.seekg(mid);
    if (mid > 0) std::getline(index, line);  // to the start of the next line
    const long start = static_cast<long>(index.tellg());
    if (start < 0 || start >= hi || !std::getline(index, line)) { hi = mid; continue; }
    const std::string k = line.substr(0, line.find(' '));
    if (line[0] == ' ' || k < key) lo = start + static_cast<long>(line.size()) + 1;
    else if (k > key) hi = mid;
    else return line;
  }
  // The window [lo, hi) may start mid-line and hide the first line at lo: look at it directly.
  index.clear();
  index.seekg(lo);
  if (std::getline(index, line) && line.substr(0, line.find(' ')) == key) return line;
  return "";
}

class WordNet {
 public:
  explicit WordNet(const std::string& dir)
      : index_(dir + "/index.noun"), data_(dir + "/data.noun"), verbs_(dir + "/index.verb"), adjectives_(dir + "/index.adj"),
        adverbs_(dir + "/index.adv") {}
  bool ok() const { return index_.good() && data_.good() && verbs_.good() && adjectives_.good() && adverbs_.good(); }

  // Whether LEMMA is a word of any part of speech.
  bool knows(const std::string& lemma) {
    return !index_line(index_, lemma).empty() || !index_line(verbs_, lemma).empty() ||
           !index_line(adjectives_, lemma).empty() || !index_line(adverbs_, lemma).empty();
  }

  // Synset offsets of LEMMA's noun senses, commonest first; TAGGED: how many of them were seen in
  // WordNet's sense-tagged corpus (0: no frequency known).
  std::vector<long> senses(const std::string& lemma, int* tagged = nullptr) {
    std::vector<long> out;
    const std::string line = index_line(index_, lemma);
    {
      if (!line.empty()) {
        std::istringstream in(line);
        std::string w, pos;
        int synsets = 0, pointers = 0;
        in >> w >> pos >> synsets >> pointers;
        for (int i = 0; i < pointers; ++i) in >> w;
        int tag = 0;
        in >> w >> tag;  // sense_cnt, tagsense_cnt
        if (tagged) *tagged = tag;
        long off;
        while (in >> off) out.push_back(off);
      }
    }
    return out;
  }

  // The synset's words and its hypernyms (class and instance).
  void synset(long offset, std::vector<std::string>& words, std::vector<long>& up) {
    data_.clear();
    data_.seekg(offset);
    std::string line;
    if (!std::getline(data_, line)) return;
    std::istringstream in(line);
    std::string tok;
    in >> tok >> tok >> tok >> tok;  // offset, lex file, type, word count (hex)
    const int n = static_cast<int>(std::strtol(tok.c_str(), nullptr, 16));
    for (int i = 0; i < n; ++i) {
      std::string w, lex;
      in >> w >> lex;
      std::transform(w.begin(), w.end(), w.begin(), [](unsigned char c) { return std::tolower(c); });
      words.push_back(w);
    }
    int p = 0;
    in >> p;
    for (int i = 0; i < p; ++i) {
      std::string sym, pos, st;
      long off;
      in >> sym >> off >> pos >> st;
      if ((sym == "@" || sym == "@i") && pos == "n") up.push_back(off);
    }
  }

 private:
  std::ifstream index_, data_, verbs_, adjectives_, adverbs_;
};

// Words WordNet leaves out (it has nouns, verbs, adjectives and adverbs only).
const std::set<std::string>& function_words() {
  static const std::set<std::string> f = {
      "a", "an", "the", "and", "or", "but", "nor", "so", "yet", "if", "then", "than", "that", "this", "these", "those",
      "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "over", "under", "about", "after",
      "before", "between", "through", "during", "without", "within", "against", "among", "per", "via", "upon", "across",
      "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his", "she", "her", "hers",
      "it", "its", "they", "them", "their", "theirs", "myself", "ourselves", "yourself", "themselves", "itself",
      "himself", "herself", "who", "whom", "whose", "which", "what", "where", "when", "why", "how", "whether",
      "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having", "do", "does", "did",
      "done", "can", "could", "will", "would", "shall", "should", "may", "might", "must", "not", "no", "yes",
      "each", "every", "either", "neither", "both", "all", "any", "some", "such", "own", "other", "another",
      "because", "while", "although", "though", "unless", "until", "since", "once", "also", "too", "very",
      "there", "here", "don't", "doesn't", "isn't", "aren't", "can't", "won't", "i'm", "we're", "it's", "etc"};
  return f;
}

// WordNet's lemma of an inflected form, by the usual English endings (WordNet's own morphy rules,
// without its exception lists): what is tried before calling a word misspelt.
std::vector<std::string> lemmas(const std::string& w) {
  std::vector<std::string> out = {w};
  auto ends = [&](const std::string& e) { return w.size() > e.size() + 2 && w.compare(w.size() - e.size(), e.size(), e) == 0; };
  auto cut = [&](std::size_t n, const std::string& add = "") { out.push_back(w.substr(0, w.size() - n) + add); };
  if (ends("s")) cut(1);
  if (ends("es")) cut(2);
  if (ends("ies")) cut(3, "y");
  if (ends("ed")) { cut(2); cut(1); }
  if (ends("ing")) { cut(3); cut(3, "e"); }
  if (ends("ly")) cut(2);
  if (ends("er")) { cut(2); cut(1); }
  if (ends("est")) { cut(3); cut(2); }
  if (ends("ied")) cut(3, "y");
  if (out.size() > 1 && w.size() > 5) {  // doubled consonants: "stopped", "running"
    if (ends("ed") && w[w.size() - 3] == w[w.size() - 4]) cut(3);
    if (ends("ing") && w[w.size() - 4] == w[w.size() - 5]) cut(4);
  }
  return out;
}

}  // namespace

// Hunspell reads its 62k-word dictionary in about 80 ms, more than the rest of sml-describe: it is
// loaded only when a word is neither in the vocabulary, nor a function word, nor known to WordNet
// (a cheap look-up in sorted files), which in practice means only for misspelt statements.
struct Lexicon::Impl {
  std::unique_ptr<Hunspell> speller;
  bool speller_tried = false;
  std::unique_ptr<WordNet> wordnet;
  bool wordnet_tried = false;

  Hunspell* hunspell() {
    if (!speller_tried) {
      speller_tried = true;
      const std::string dir = env_or("SML_HUNSPELL_DIR", "/usr/share/hunspell");
      if (readable(dir + "/en_US.aff") && readable(dir + "/en_US.dic"))
        speller = std::make_unique<Hunspell>((dir + "/en_US.aff").c_str(), (dir + "/en_US.dic").c_str());
    }
    return speller.get();
  }
  WordNet* words() {
    if (!wordnet_tried) {
      wordnet_tried = true;
      auto wn = std::make_unique<WordNet>(env_or("SML_WORDNET_DIR", "/usr/share/wordnet"));
      if (wn->ok()) wordnet = std::move(wn);
    }
    return wordnet.get();
  }
  // Surely an English word: a function word or a WordNet lemma (after inflections).
  bool surely_english(const std::string& w) {
    if (function_words().count(w)) return true;
    WordNet* wn = words();
    if (!wn) return false;
    for (const auto& l : lemmas(w))
      if (wn->knows(l)) return true;
    return false;
  }
};

Lexicon::Lexicon(std::set<std::string> known) : impl_(std::make_unique<Impl>()), known_(std::move(known)) {}

Lexicon::~Lexicon() = default;

bool Lexicon::has_dictionary() const { return impl_->hunspell() != nullptr; }

std::size_t typo_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::string Lexicon::correct(const std::string& text, std::vector<Correction>& corrections) const {
  auto normal = [](const std::string& w) {
    auto ws = TaskClassifier::words(w);
    return ws.size() == 1 ? ws[0] : std::string();
  };
  std::string out;
  std::size_t i = 0;
  bool sentence_start = true;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!std::isalpha(c)) {
      if (c == '.' || c == '!' || c == '?' || c == ':' || c == '\n') sentence_start = true;
      else if (!std::isspace(c)) sentence_start = false;
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '\'')) ++j;
    std::string word = text.substr(i, j - i);
    const bool capital_inside = std::isupper(static_cast<unsigned char>(word[0])) && !sentence_start;
    const bool has_digit = std::any_of(word.begin(), word.end(), [](unsigned char x) { return std::isdigit(x); });
    const bool acronym = std::count_if(word.begin(), word.end(), [](unsigned char x) { return std::isupper(x); }) > 1;
    sentence_start = false;
    std::string lower = word;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char x) { return std::tolower(x); });
    const std::string norm = normal(lower);
    std::string fix;
    if (lower.size() >= 4 && !capital_inside && !has_digit && !acronym && !known_.count(norm) &&
        lower.find('\'') == std::string::npos) {
      Hunspell* speller = impl_->surely_english(lower) ? nullptr : impl_->hunspell();
      const bool english = impl_->surely_english(lower) || (speller && speller->spell(lower));
      if (!english) {
        // Hunspell's suggestions, first one that the task vocabulary knows; else the nearest known
        // word within one edit (two for long words).
        if (speller)
          for (const auto& s : speller->suggest(lower))
            if (s.find(' ') == std::string::npos && s.find('-') == std::string::npos && known_.count(normal(s)) &&
                typo_distance(lower, s) <= 2) {
              fix = s;
              break;
            }
        if (fix.empty()) {
          const std::size_t allowed = norm.size() >= 8 ? 2 : 1;
          std::size_t best = allowed + 1;
          for (const auto& k : known_) {
            if (k.size() + allowed < norm.size() || norm.size() + allowed < k.size() || k.size() < 4) continue;
            const std::size_t d = typo_distance(norm, k);
            if (d < best) { best = d; fix = k; }
          }
        }
      }
    }
    if (!fix.empty() && fix != lower) {
      corrections.push_back({word, fix});
      out += fix;
    } else {
      out += word;
    }
    i = j;
  }
  return out;
}

std::vector<std::string> Lexicon::generalise(const std::string& word) const {
  std::vector<std::string> out;
  if (auto it = curated().find(word); it != curated().end()) return {it->second};
  WordNet* wn = impl_->words();
  if (!wn || word.size() < 3) return out;
  // Breadth-first up the hypernym tree of every sense, a few levels (beyond that everything is an
  // "object" or an "abstraction" and says nothing).
  // The senses seen in WordNet's tagged corpus (at most two), or the first three when none was:
  // rare senses turn "process" into a legal writ, but "thrush" has no frequencies and its bird
  // sense comes third.
  int tagged = 0;
  std::vector<long> level = wn->senses(word, &tagged);
  if (level.empty() && word.size() > 3) level = wn->senses(word + "s", &tagged);
  const std::size_t keep = tagged > 0 ? static_cast<std::size_t>(std::min(tagged, 2)) : 3;
  if (level.size() > keep) level.resize(keep);
  for (int depth = 0; depth < 7 && !level.empty(); ++depth) {
    std::vector<long> next;
    for (long off : level) {
      std::vector<std::string> words;
      wn->synset(off, words, next);
      if (depth == 0) continue;
      for (const auto& w : words)
        if (auto a = anchors().find(w); a != anchors().end() && a->second != word &&
                                        std::find(out.begin(), out.end(), a->second) == out.end())
          out.push_back(a->second);
    }
    level = std::move(next);
  }
  return out;
}

}  // namespace sml::describe
