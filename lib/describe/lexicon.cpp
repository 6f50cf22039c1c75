#include "sml/describe/lexicon.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sml/describe/text_task.hpp"

namespace sml::describe {
namespace {

// Debian's wordnet-base installs here; SML_WORDNET_DIR overrides (for other distributions).
std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// WordNet noun synsets that name the general kinds a problem statement's objects fall under, and
// the word each stands for. A word is generalised when one of its senses has such an ancestor.
const std::map<std::string, std::string>& anchors() {
  static const std::map<std::string, std::string> a = {
      {"bird", "bird"}, {"fish", "fish"}, {"insect", "insect"}, {"mammal", "animal"}, {"reptile", "animal"},
      {"amphibian", "animal"}, {"dog", "dog"}, {"cat", "animal"}, {"weed", "weed"}, {"tree", "tree"},
      {"flower", "flower"}, {"herb", "plant"}, {"vascular_plant", "plant"}, {"fungus", "fungus"}, {"edible_fruit", "fruit"},
      {"vegetable", "vegetable"}, {"dish", "food"}, {"foodstuff", "food"},
      // The workout's synset by the word only it carries: "exercise" is also a sense of use
      // ({use, usage, ..., exercise}: recycling, the exercise of a right) and of practice or drill.
      {"physical_exercise", "exercise"},
      {"sport", "sport"}, {"document", "document"}, {"letter", "letter"},
      {"bill", "document"}, {"motor_vehicle", "vehicle"}, {"aircraft", "vehicle"},
      // A ship's synset is {vessel, watercraft}; "vessel" alone is also the container a bucket,
      // jar or bowl is, so the anchor is the word only the craft's synset carries.
      {"watercraft", "vehicle"}, {"garment", "clothing"}, {"footwear", "clothing"}, {"disease", "disease"},
      {"tumor", "disease"}, {"musical_instrument", "instrument"}, {"song", "music"}, {"dance", "dance"},
      {"weapon", "weapon"}, {"furniture", "furniture"},
      // Pictures by what makes them: a mammogram or a sonogram is a radiograph, a kind of photograph.
      {"photograph", "photo"}, {"roentgenogram", "x-ray"}};
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

// A sorted WordNet file (index.*, *.exc) mapped into memory and searched in place: only the pages
// a binary search touches are read, and no stream buffer is refilled at each probe (seeking an
// ifstream re-read 8 KB per probe, a few milliseconds per statement).
class SortedFile {
 public:
  explicit SortedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      void* m = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (m != MAP_FAILED) data_ = static_cast<const char*>(m), size_ = static_cast<std::size_t>(st.st_size);
    }
    ::close(fd);
  }
  ~SortedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  SortedFile(const SortedFile&) = delete;
  SortedFile& operator=(const SortedFile&) = delete;
  bool good() const { return data_ != nullptr; }

  // The line whose first field is KEY ("" if none). Lines starting with a space (the licence
  // header of index files) sort before every word and are skipped.
  std::string line(const std::string& key) const {
    std::size_t lo = 0, hi = size_;  // [lo, hi): line starts in between are candidates
    while (lo < hi) {
      std::size_t mid = lo + (hi - lo) / 2;
      while (mid > lo && data_[mid - 1] != '\n') --mid;  // back to the start of mid's line
      const std::size_t end = next_line(mid);
      if (data_[mid] == ' ') { lo = end; continue; }
      const int c = compare(mid, key);
      if (c == 0) return std::string(data_ + mid, data_ + end - (end > mid && data_[end - 1] == '\n' ? 1 : 0));
      if (c < 0) lo = end;
      else hi = mid;
    }
    return "";
  }

 private:
  std::size_t next_line(std::size_t p) const {
    const void* nl = std::memchr(data_ + p, '\n', size_ - p);
    return nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data_) + 1 : size_;
  }
  // The first field of the line at P compared with KEY, as strcmp does.
  int compare(std::size_t p, const std::string& key) const {
    std::size_t i = 0;
    for (; p + i < size_ && data_[p + i] != ' ' && data_[p + i] != '\n'; ++i) {
      if (i == key.size()) return 1;
      const auto a = static_cast<unsigned char>(data_[p + i]), b = static_cast<unsigned char>(key[i]);
      if (a != b) return a < b ? -1 : 1;
    }
    return i == key.size() ? 0 : -1;
  }
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

class WordNet {
 public:
  explicit WordNet(const std::string& dir)
      : index_(dir + "/index.noun"), data_(dir + "/data.noun"), verbs_(dir + "/index.verb"), adjectives_(dir + "/index.adj"),
        adverbs_(dir + "/index.adv"), noun_forms_(dir + "/noun.exc"), verb_forms_(dir + "/verb.exc"), adjective_forms_(dir + "/adj.exc") {}
  bool ok() const { return index_.good() && data_.good() && verbs_.good() && adjectives_.good() && adverbs_.good(); }

  // Whether LEMMA is a word of any part of speech.
  bool knows(const std::string& lemma) {
    return !index_.line(lemma).empty() || !verbs_.line(lemma).empty() || !adjectives_.line(lemma).empty() ||
           !adverbs_.line(lemma).empty();
  }
  // Whether LEMMA is also a verb, adjective or adverb ("nice", "reading"): a sense beyond the nouns.
  bool knows_beyond_nouns(const std::string& lemma) {
    return !verbs_.line(lemma).empty() || !adjectives_.line(lemma).empty() || !adverbs_.line(lemma).empty();
  }
  // Whether FORM is an irregular inflection WordNet lists ("mice", "shown", "gave"); those files
  // are optional (sorted the same way, no header).
  bool irregular(const std::string& form) {
    for (auto* f : {&noun_forms_, &verb_forms_, &adjective_forms_})
      if (f->good() && !f->line(form).empty()) return true;
    return false;
  }

  // Synset offsets of LEMMA's noun senses, commonest first; TAGGED: how many of them were seen in
  // WordNet's sense-tagged corpus (0: no frequency known).
  std::vector<long> senses(const std::string& lemma, int* tagged = nullptr) {
    std::vector<long> out;
    const std::string line = index_.line(lemma);
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

  // The synset's words and its hypernyms (class and instance); PARTS (if given): the wholes it is a
  // part of (part holonyms, "#p": Istanbul -> Turkey); INSTANCE: whether it is a named thing ("@i").
  void synset(long offset, std::vector<std::string>& words, std::vector<long>& up, std::vector<long>* parts = nullptr,
              bool* instance = nullptr) {
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
      if (parts && sym == "#p" && pos == "n") parts->push_back(off);
      if (instance && sym == "@i") *instance = true;
    }
  }

 private:
  SortedFile index_;
  std::ifstream data_;
  SortedFile verbs_, adjectives_, adverbs_, noun_forms_, verb_forms_, adjective_forms_;
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
      "there", "here", "don't", "doesn't", "isn't", "aren't", "can't", "won't", "i'm", "we're", "it's", "etc",
      // WordNet has none of these either; people drop the apostrophe in chat.
      "something", "anything", "nothing", "everything", "someone", "anyone", "everyone", "somebody", "anybody",
      "nobody", "dont", "doesnt", "isnt", "arent", "cant", "wont", "didnt", "havent", "hasnt", "shouldnt",
      "wouldnt", "couldnt", "theyre", "youre", "thats", "whats", "ive", "weve", "theyve", "youve", "ill", "hes", "shes", "thru", "tho", "pls", "plz", "thx", "ok", "okay",
      // Conjunctions of condition that WordNet leaves out ("whenever" was corrected to "whatever").
      "whenever", "wherever", "whatever", "whichever", "whoever", "however"};
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

// Spelling needs no dictionary of its own: a word WordNet knows (after inflections) is English and
// kept; any other word is compared with the task vocabulary only, which is what a correction may
// lead to. (Hunspell's en_US dictionary took 80-200 ms of CPU to load and its suggest() 5-140 ms a
// word, several times the rest of sml-describe; WordNet's sorted index answers in microseconds.)
struct Lexicon::Impl {
  std::unique_ptr<WordNet> wordnet;
  bool wordnet_tried = false;

  WordNet* words() {
    if (!wordnet_tried) {
      wordnet_tried = true;
      auto wn = std::make_unique<WordNet>(env_or("SML_WORDNET_DIR", "/usr/share/wordnet"));
      if (wn->ok()) wordnet = std::move(wn);
    }
    return wordnet.get();
  }
  // A WordNet noun nobody writes (no sense seen in the tagged corpus, no other part of speech) that
  // is a function word of six letters or more with one letter left out: "wether" (a ram) is
  // "whether". WordNet leaves the function words out, so its rare nouns would otherwise shadow
  // their commonest slips. Only dropped letters and only long function words: a changed letter
  // ("info", "tours") or a short word ("mine", "once") meets real nouns too often.
  // Returns that function word, or "".
  std::string dropped_from_function_word(const std::string& w) {
    if (w.size() < 5) return "";
    const std::string* hit = nullptr;
    for (const auto& f : function_words())
      if (f.size() >= 6 && f.size() == w.size() + 1 && letters_dropped_one(w, f)) hit = &f;
    if (!hit) return "";
    WordNet* wn = words();
    if (!wn || wn->knows_beyond_nouns(w)) return "";
    int tagged = 0;
    return !wn->senses(w, &tagged).empty() && tagged == 0 ? *hit : "";
  }
  // Whether B is A with one letter added anywhere.
  static bool letters_dropped_one(const std::string& a, const std::string& b) {
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i]) ++i;
    return a.compare(i, std::string::npos, b, i + 1, std::string::npos) == 0;
  }
  // Surely an English word: a function word or a WordNet lemma (after inflections).
  bool surely_english(const std::string& w) {
    if (function_words().count(w)) return true;
    WordNet* wn = words();
    if (!wn) return false;
    for (const auto& l : lemmas(w))
      if (wn->knows(l)) return true;
    return wn->irregular(w);
  }
};

Lexicon::Lexicon(std::set<std::string> known) : impl_(std::make_unique<Impl>()), known_(std::move(known)) {}

Lexicon::~Lexicon() = default;

bool Lexicon::has_dictionary() const { return impl_->words() != nullptr; }

namespace {
// How a word sounds, roughly, so that informal and phonetic spellings meet: "ph" is "f", "ck" is
// "k", "z" is "s" (British -ise, chat's "imagez"), and a doubled letter is one ("appartment").
std::string sound_key(const std::string& w) {
  std::string s;
  for (std::size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    if (c == 'p' && i + 1 < w.size() && w[i + 1] == 'h') c = 'f', ++i;
    else if (c == 'c' && i + 1 < w.size() && w[i + 1] == 'k') c = 'k', ++i;
    else if (c == 'z') c = 's';
    if (!s.empty() && s.back() == c) continue;
    s += c;
  }
  return s;
}

// Whether every letter of A appears in B in order: B is A with letters added, the commonest slip
// being a letter left out ("totl" is "total" rather than "tool").
bool letters_dropped(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  for (char c : b)
    if (i < a.size() && a[i] == c) ++i;
  return i == a.size();
}
}  // namespace

// The vocabulary word WORD (as TaskClassifier::words gives it) is a misspelling of: the nearest by
// edits on the letters or on the sound key, within one edit (two for words of eight letters or
// more, where two slips are common and two-edit neighbours rare). Ties go, in order, to fewer
// edits on the letters themselves, to an English word over a name ("image" over "imagen"), to
// letters left out, to the same first letter, to the closer length. "" when none is that near.
std::string Lexicon::nearest_known(const std::string& word) const {
  const std::size_t allowed = word.size() >= 8 ? 2 : 1;
  const std::string key = sound_key(word);
  using Rank = std::array<std::size_t, 6>;
  std::string best;
  Rank best_rank{allowed + 1, 0, 0, 0, 0, 0};
  // Function words compete too: "somthing" is "something", not "smoothing".
  std::vector<const std::string*> candidates;
  for (const auto& k : known_) candidates.push_back(&k);
  for (const auto& k : function_words()) candidates.push_back(&k);
  for (const std::string* kp : candidates) {
    const std::string& k = *kp;
    if (k.size() < 4 || k.size() + allowed + 1 < word.size() || word.size() + allowed + 1 < k.size()) continue;
    const std::size_t letters = typo_distance(word, k), d = std::min(letters, typo_distance(key, sound_key(k)));
    if (d > allowed || d > best_rank[0]) continue;
    const Rank rank{d, letters, impl_->surely_english(k) ? 0u : 1u, letters_dropped(word, k) ? 0u : 1u,
                    k[0] == word[0] ? 0u : 1u, k.size() > word.size() ? k.size() - word.size() : word.size() - k.size()};
    if (rank < best_rank) best = k, best_rank = rank;
  }
  return best;
}

std::string Lexicon::correct(const std::string& text, std::vector<Correction>& corrections) const {
  auto normal = [](const std::string& w) {
    auto ws = TaskClassifier::words(w);
    return ws.size() == 1 ? ws[0] : std::string();
  };
  std::string out;
  std::size_t i = 0;
  bool sentence_start = true;
  std::string previous;  // the word before, in lower case
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
    // A possessive is its noun: "the coding asistant's model" is corrected as "asistant", its "'s"
    // kept. Any other apostrophe ("don't", "o'clock") leaves the word as written.
    std::string possessive;
    if (word.size() > 2 && word.compare(word.size() - 2, 2, "'s") == 0 && word.find('\'') == word.size() - 2)
      possessive = "'s", word.resize(word.size() - 2);
    const bool capital_inside = std::isupper(static_cast<unsigned char>(word[0])) && !sentence_start;
    const bool has_digit = std::any_of(word.begin(), word.end(), [](unsigned char x) { return std::isdigit(x); });
    const bool acronym = std::count_if(word.begin(), word.end(), [](unsigned char x) { return std::isupper(x); }) > 1;
    sentence_start = false;
    std::string lower = word;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char x) { return std::tolower(x); });
    const std::string norm = normal(lower);
    std::string fix;
    // A rare noun that is a long function word with a letter left out is that word, not the nearest
    // task word ("wether" is "whether", not "weather"). After a determiner the word is the noun
    // ("the anther of a lily", "a wether"): no function word follows one.
    static const std::set<std::string> determiners = {"a", "an", "the", "this", "that", "each", "every", "its",
                                                      "their", "our", "my", "his", "her", "your", "one"};
    const std::string dropped = lower.size() >= 4 && !capital_inside && !acronym && !determiners.count(previous)
                                    ? impl_->dropped_from_function_word(lower)
                                    : std::string();
    if (!dropped.empty()) {
      fix = dropped;
    } else if (lower.size() >= 4 && !capital_inside && !has_digit && !acronym && !norm.empty() && !known_.count(norm) &&
               lower.find('\'') == std::string::npos && !impl_->surely_english(lower)) {
      fix = nearest_known(norm);
      // The plural 's' that TaskClassifier::words trimmed goes back on: "fotos" is "photos".
      if (!fix.empty() && norm.size() < lower.size() && lower.back() == 's' && fix.back() != 's') fix += 's';
    }
    previous = lower;
    if (!fix.empty() && fix != lower) {
      corrections.push_back({word, fix});
      out += fix;
    } else {
      out += word;
    }
    out += possessive;
    i = j;
  }
  return out;
}

bool Lexicon::is_kind_of(const std::string& word, const std::set<std::string>& ancestors) const {
  WordNet* wn = impl_->words();
  if (!wn || word.size() < 3) return false;
  int tagged = 0;
  std::vector<long> level;
  for (const auto& l : lemmas(word))
    if (level = wn->senses(l, &tagged); !level.empty()) break;
  // The senses seen in the tagged corpus (the first two at most): "reps" are representatives, not
  // a fabric; with no frequencies, the first.
  const std::size_t keep = tagged > 0 ? static_cast<std::size_t>(std::min(tagged, 2)) : 1;
  if (level.size() > keep) level.resize(keep);
  for (int depth = 0; depth < 10 && !level.empty(); ++depth) {
    std::vector<long> next;
    for (long off : level) {
      std::vector<std::string> words;
      wn->synset(off, words, next);
      for (const auto& w : words)
        if (ancestors.count(w)) return true;
    }
    level = std::move(next);
  }
  return false;
}

std::string Lexicon::place_of(const std::string& name, bool proper, const std::set<std::string>& places) const {
  WordNet* wn = impl_->words();
  if (!wn || name.size() < 3) return "";
  std::string lemma = name;
  std::transform(lemma.begin(), lemma.end(), lemma.begin(), [](unsigned char c) { return c == ' ' ? '_' : std::tolower(c); });
  // Named senses only (instances: Crete, Manila); a word written in lower case must have no other
  // sense ("manila" is also a paper, "turkey" a bird, "reading" an activity), in any part of speech
  // ("under a second would be nice" names no city in France).
  if (!proper && wn->knows_beyond_nouns(lemma)) return "";
  std::vector<long> level;
  for (long off : wn->senses(lemma)) {
    std::vector<std::string> words;
    std::vector<long> up;
    bool instance = false;
    wn->synset(off, words, up, nullptr, &instance);
    if (instance) level.push_back(off);
    else if (!proper) return "";
  }
  // Breadth-first up the part holonyms: a city is part of a region, which is part of a country.
  for (int depth = 0; depth < 4 && !level.empty(); ++depth) {
    std::vector<long> next;
    for (long off : level) {
      std::vector<std::string> words;
      std::vector<long> up;
      wn->synset(off, words, up, &next);
      for (const auto& w : words)
        if (places.count(w)) return w;
    }
    level = std::move(next);
  }
  return "";
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
