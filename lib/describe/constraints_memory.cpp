// The memory a statement allows a model: RAM, flash, model size, or the memory of each card named.
#include "constraint_readers.hpp"

namespace sml::describe {

using number_text::context_before;
using number_text::kNum;
using number_text::number;

namespace {

// The sentence of T around POS: from after the last full stop, "?" or "!" (a dot followed by a
// space) to the next one, the mark included.
std::string sentence_at(const std::string& t, std::size_t pos) {
  std::size_t from = 0, to = t.size();
  for (std::size_t i = pos; i-- > 0;)
    if ((t[i] == '.' || t[i] == '?' || t[i] == '!') && i + 1 < t.size() && t[i + 1] == ' ') { from = i + 1; break; }
  for (std::size_t i = pos; i < t.size(); ++i)
    if ((t[i] == '.' || t[i] == '?' || t[i] == '!') && (i + 1 == t.size() || t[i + 1] == ' ')) { to = i + 1; break; }
  return t.substr(from, to - from);
}

// Whether the size at POS of T belongs to no machine the model must fit: a size asked about as an
// option ("are 4 or 6 GB of VRAM enough?", "should I buy the 8GB board or the Jetson?"), or the memory of a machine the writer only measured on
// ("needs 3 seconds a picture on my laptop (RTX 3060 6 GB, 16 GB RAM). I want to run it on a Jetson
// Nano"): the sentence reports a time or rate it takes now, and another sentence names the machine
// it is to run on.
bool size_of_no_target(const std::string& t, std::size_t pos) {
  const std::string s = sentence_at(t, pos);
  static const Regex asked(R"(\b(enough|sufficient|suffice|too little|too small)\b[^.!?]*\?$)");
  if (regex_search(s, asked)) return true;
  // A size in a question of which machine to take ("which one must I choose, Raspberry pi4 8GB or
  // Jetson Nano?") describes an option, not a machine the model must fit.
  // The "or" must offer a machine or a size: "How do I get it to fit in 512 MB ... or should I use a
  // smaller input size?" asks how, with no machine to choose. The machine words are those of
  // deployment.cpp's offered_as_alternative; a catalogue name is masked to spaces here (read_numbers).
  static const Regex choice(R"(\b(choose|pick|buy|purchase)\b[^.!?]*\b(or|vs\.?|versus)\s+(an?\s+|the\s+|one\s+)?(\s{3,}|[\w.+-]*\d+\s*(kb|mb|gb|tb)\b|(jetson|raspberry|rpi|pi\s*\d|orin|xavier|coral|hailo|rtx|gtx|geforce|quadro|radeon|tesla|nvidia|intel|amd|apple|mac(book|mini|studio)?|iphone|ipad|pixel|galaxy|snapdragon|esp32|arduino|stm32|nuc|a100|h100|t4|l4|v100|a10g?|tpu|board|card|gpu|laptop|phone|machine|server|model|one)\b)[^.!?]*\?$)");
  if (regex_search(s, choice)) return true;
  static const Regex measured(R"(\b(takes?|took|taking|needs?|needed|runs?|ran|gets?|got)\b[^.!?]{0,24}?\d+(\.\d+)?\s*(ms|s|secs?|seconds?|minutes?|mins?|hours?|fps)\b)");
  static const Regex target(R"(\b(want|wants|need|needs|plan|planning|going|like|hope|have)\s+to\s+(run|deploy|put|move|port|use)\s+(it|this|that|them|the model|the network)?\s*(on|onto|to)\b)");
  if (!regex_search(s, measured) || regex_search(s, target)) return false;
  return regex_search(t, target);
}

}  // namespace

void read_memory(const std::string& t, Constraints& c) {
  auto note = [&](const Match& m) { c.evidence.push_back(m.str()); };
  const auto flags = Regex::ECMAScript;
  // Memory: a size that is a limit (RAM, flash, model size), not data ("3 GB of text").
  // "of" a word of memory is the machine's ("32GB of DDR5"); "of" anything else is data.
  static const Regex mem(kNum + R"(\s*(kb|mb|gb|tb|kib|mib|gib|tib)\b(?!\s*of\s+(?!)" + kMemoryWords + R"(\b)))", flags);
  static const Regex mem_before(R"((ram|memory|flash|vram|fit in|fits in|fit into|within|model size|model under|under|at most|max|less than|smaller than|footprint|limit|budget|only|has|with))", flags);
  static const Regex mem_after(R"(^\s*(of\s+)?()" + kMemoryWords + R"(|model|footprint|limit))", flags);
  // The memory of each card or machine the writer has ("two RTX 3090 workstations (24 GB each)",
  // "4x A100 (80 GB each)"): a size "each" after hardware, whose name is blanked to spaces here.
  static const Regex each_after(R"(^\s*each\b)", flags);
  static const Regex hardware_before(R"((gpus?|cards?|workstations?|servers?|machines?|nodes?|boxe?s?|\dx|\s{4,})\s*\(?\s*$)", flags);
  each_match(t, mem, [&](const Match& m) {
    if (c.memory_bytes) return;
    const std::size_t end = static_cast<std::size_t>(m.position() + m.length());
    // A size written with the card's own name ("A100 80GB", "an RTX A2000 (12 GB)") is that card's
    // memory too: the name is masked to spaces just before it.
    static const Regex named_before(R"(\s{4,}\(?\s*$)", flags);
    // So is a size right after a model number the catalogue does not know ("on a 3060 12gb", "an
    // xyz-5000 (16 GB)"): a token of three to five digits, maybe with letters around it.
    static const Regex model_number_before(R"((^|[\s-])[a-z]{0,4}\d{3,5}[a-z]{0,3}\s*\(?\s*$)", flags);
    const bool card_each = (regex_search(t.substr(end, 8), each_after) &&
                            context_before(t, static_cast<std::size_t>(m.position()), 40, hardware_before)) ||
                           context_before(t, static_cast<std::size_t>(m.position()), 12, named_before) ||
                           context_before(t, static_cast<std::size_t>(m.position()), 14, model_number_before);
    if (!card_each && !context_before(t, static_cast<std::size_t>(m.position()), 30, mem_before) &&
        !regex_search(t.substr(end, 20), mem_after))
      return;
    // The size of a model the writer names with "the" ("with the 50 MB model", "the 75 MB tiny
    // model") describes a model already chosen, not a limit of the device ("a model under 50 MB",
    // "a 5 MB model" are limits).
    static const Regex the_before(R"(\bthe\s*$)", flags);
    static const Regex model_after(R"(^\s*([a-z-]+\s+)?(model|checkpoint|weights|file)\b)", flags);
    if (!card_each && context_before(t, static_cast<std::size_t>(m.position()), 5, the_before) &&
        regex_search(t.substr(end, 24), model_after))
      return;
    if (size_of_no_target(t, static_cast<std::size_t>(m.position()))) return;
    const std::string u = m[3].str();
    const double unit = u == "kb" ? 1e3 : u == "mb" ? 1e6 : u == "gb" ? 1e9 : u == "tb" ? 1e12 : u == "kib" ? 1024.0
                      : u == "mib" ? 1048576.0 : u == "gib" ? 1073741824.0 : 1099511627776.0;
    c.memory_bytes = number(m, 1) * unit;
    note(m);
  });
  if (c.memory_bytes) return;
  // Sizes written short: French "8go" (gigaoctets), a bare "16G" right after the machine's own
  // name ("Macbook Pro M1 16G", the name masked to spaces), or a bare G before a word of memory
  // ("4g vram", "8G RAM": a network is no memory). A bare G elsewhere is a network ("5G").
  static const Regex short_size(R"(\b(\d{1,4})(go|g)\b)", flags);
  static const Regex named_before(R"(\s{4,}\(?\s*$)", flags);
  static const Regex memory_word_after(R"(^\s*(of\s+)?)" + kMemoryWords + R"(\b)", flags);
  each_match(t, short_size, [&](const Match& m) {
    if (c.memory_bytes) return;
    const auto pos = static_cast<std::size_t>(m.position());
    const std::string after = t.substr(pos + static_cast<std::size_t>(m.length()), 20);
    const bool go = m[2].str() == "go";
    if (!(go && (context_before(t, pos, 30, mem_before) || regex_search(after, mem_after))) &&
        !context_before(t, pos, 12, named_before) && !regex_search(after, memory_word_after))
      return;
    c.memory_bytes = std::stod(m[1].str()) * 1e9;
    note(m);
  });
}

}  // namespace sml::describe
