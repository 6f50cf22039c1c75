// Role rules for texts: a transcript given or asked for, text written from notes, texts compared,
// a label per unit, a span picked out, an assistant that writes its answers (roles.hpp).
#include "role_rules.hpp"

namespace sml::describe::role_rules {

// 6. A transcript that is given ("turn transcripts of consultations into notes", "transcripts arrive")
// is text going in; one asked for ("we need a transcript", "get transcripts") is the output, and
// so is one made as the speech happens ("live English transcripts of the radio channel"): nobody
// hands over a live transcript to be read.
void given_transcripts(const Words& ws, Reading& r) {
  static const std::set<std::string> asked = {"into", "get", "produce", "give", "make", "create", "generate", "want",
                                              "need", "as", "automatic", "accurate", "a", "an", "provide", "write", "return"};
  // Made as the speech happens, unless the text says they come in ("live lecture transcripts arrive as text").
  static const std::set<std::string> live = {"live", "realtime", "real-time", "instant", "streaming"};
  static const std::set<std::string> arriving = {"arrive", "arrives", "come", "comes", "coming", "are", "is", "land", "lands"};
  if (any_word(ws, {"transcribe", "transcription", "dictation", "dictate", "dictated"})) return;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "transcript") continue;
    bool is_asked = false, is_live = false, arrives = false;
    for (std::size_t j = i > 3 ? i - 3 : 0; j < i; ++j) {
      is_asked = is_asked || has(asked, ws[j]);
      is_live = is_live || has(live, ws[j]);
    }
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 3; ++j) arrives = arrives || has(arriving, ws[j]);
    if (is_asked || (is_live && !arrives)) return;
    take(r, "output", "transcript", 1);
    add(r, "input", "text", 1, "transcripts given");
    return;
  }
}

// 7. Text written from short notes ("descriptions from a few bullet points") is longer than what
// goes in: generation, not a summary.
void written_from_notes(const Words& ws, Reading& r) {
  static const std::set<std::string> notes = {"bullet", "spec", "specification", "keyword", "outline", "attribute", "note"};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "from") continue;
    const long j = find_within(ws, i + 1, 5, notes, {"to", "into", "and"});
    if (j < 0) continue;
    if (ws[static_cast<std::size_t>(j)] == "bullet") take(r, "output", "summary", 0.5);
    add(r, "output", "text-out", 1.5, "written from " + ws[static_cast<std::size_t>(j)] + "s");
    return;
  }
}

// 9. Two texts compared ("whether two questions ask the same thing"): similarity of a pair; the
// questions are compared, not answered.
void compared_pair(const Words& ws, Reading& r) {
  static const std::set<std::string> texts = {"question", "sentence", "text", "document", "post", "title", "description",
                                              "ticket", "review", "listing", "record", "message", "email", "name", "address"};
  auto it = r.outputs.find("similar");
  if (it == r.outputs.end() || it->second < 1.5) return;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!one_of(ws[i], {"two", "2", "pair", "both"})) continue;
    const long j = find_within(ws, i + 1, 3, texts);
    if (j < 0) continue;
    add(r, "output", "similar", 1.5, ws[i] + " " + ws[static_cast<std::size_t>(j)] + "s compared");
    if (ws[static_cast<std::size_t>(j)] == "question") take(r, "output", "answer", 1);
    return;
  }
}

// 10. A label for each unit of a text ("for each contract clause, is it favourable, neutral or
// risky"): one label per clause, not per token.
void label_per_unit(const Words& ws, Reading& r) {
  static const std::set<std::string> units = {"clause", "sentence", "paragraph", "email", "review", "message", "ticket",
                                              "document", "article", "comment", "post", "section", "page", "call", "letter"};
  auto it = r.outputs.find("label");
  if (it == r.outputs.end() || it->second < 0.5) return;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (!one_of(ws[i], {"each", "every", "per"})) continue;
    const long j = find_within(ws, i + 1, 3, units);
    if (j < 0) continue;
    add(r, "output", "label", 1, ws[i] + " … " + ws[static_cast<std::size_t>(j)] + ": a label per unit");
    return;
  }
}

// 13c. A part of a text picked out of it: "pick out the word or phrase in the tweet that carries the
// sentiment", "highlight the sentences of the contract that ...", "point to the span in the passage":
// the words themselves are the output (a span, tokens), not a label for the whole text.
void span_in_text(const Words& ws, Reading& r) {
  static const std::set<std::string> parts = {"word", "phrase", "span", "sentence", "passage", "part", "clause", "line"};
  static const std::set<std::string> texts = {"text", "tweet", "post", "comment", "review", "message", "email", "document",
                                              "passage", "article", "contract", "letter", "note", "transcript", "sentence", "paragraph"};
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    const bool verb = ((ws[i] == "pick" || ws[i] == "pull" || ws[i] == "single") && ws[i + 1] == "out") ||
                      ws[i] == "highlight" || ws[i] == "underline" || ws[i] == "select" || ws[i] == "extract" ||
                      (ws[i] == "point" && ws[i + 1] == "to");
    if (!verb) continue;
    const long p = find_within(ws, i + 1, 5, parts);
    if (p < 0) continue;
    const long in = find_within(ws, static_cast<std::size_t>(p) + 1, 4, {"in", "of", "from", "within"});
    if (in < 0 || find_within(ws, static_cast<std::size_t>(in) + 1, 3, texts) < 0) continue;
    add(r, "output", "tokens", 2, "a part of the text picked out: " + ws[static_cast<std::size_t>(p)]);
    return;
  }
}

namespace {
// Whether word I names a conversational generator that does the answering: an assistant, a
// chatbot or a copilot anywhere, or a model that chats ("a chat model", "the LLM", "a large language
// model") followed closely by a verb of answering ("a chat model that answers our users"): chat
// that comes in ("chat questions routed to a team", "toxic messages in the chat") is text to read.
bool conversational(const Words& ws, std::size_t i) {
  // "Questions written by an LLM", "replies drafted by ChatGPT": a model named as the maker of the
  // data is not the system wanted.
  for (std::size_t k = 1; k <= 3 && k <= i; ++k) {
    if (ws[i - k] == "by") return false;
    if (!one_of(ws[i - k], {"a", "an", "the", "large", "chat", "conversational"})) break;
  }
  static const std::set<std::string> agents = {"assistant", "chatbot", "bot", "agent", "copilot"};
  if (has(agents, ws[i])) return true;
  const bool chats = one_of(ws[i], {"llm", "gpt", "chatgpt", "chat", "conversational"}) ||
                     (ws[i] == "language" && i + 1 < ws.size() && ws[i + 1] == "model");
  return chats && find_within(ws, i + 1, 6, {"answer", "answering", "reply", "respond"}) >= 0;
}
}  // namespace

// 16. An assistant, chatbot or chat model that answers questions, with no text named to answer from
// ("an assistant that answers customer questions about shipping"), writes its answers: generation,
// not a span found in a given passage ("from our handbook", "quote the paragraph").
void assistant_answers(const Words& ws, const std::map<std::string, std::vector<std::string>>& kinds, Reading& r) {
  static const std::set<std::string> agents = {"assistant", "chatbot", "bot", "agent", "copilot", "llm", "gpt", "chatgpt"};
  bool generator = false;
  for (std::size_t i = 0; i < ws.size() && !generator; ++i) generator = conversational(ws, i);
  if (!generator || !any_word(ws, {"answer", "answering", "question", "ask"})) return;
  static const std::set<std::string> cited = {"quote", "cite", "paragraph", "passage", "page", "source", "span", "section"};
  if (any_word(ws, cited)) return;
  // An assistant that itself asks or calls ("when the AI assistant asks for monthly revenue,
  // get_sales_report returns ..."): a running assistant calling the writer's tools, not answers to write.
  for (std::size_t i = 0; i + 1 < ws.size(); ++i)
    if ((has(agents, ws[i]) || (ws[i] == "model" && i > 0 && conversational(ws, i - 1))) &&
        one_of(ws[i + 1], {"ask", "call", "request", "query", "invoke", "fetche", "fetch"}))
      return;
  static const std::set<std::string> sources = {"manual", "handbook", "pdf", "document", "doc", "wiki", "faq", "policy",
                                                "article", "knowledge", "guide", "rulebook", "contract", "documentation"};
  auto source = [&](const std::string& w) {
    if (has(sources, w)) return true;
    auto it = kinds.find(w);
    return it != kinds.end() && std::find(it->second.begin(), it->second.end(), "document") != it->second.end();
  };
  // The general words (WordNet's kinds) are appended after the statement's own: not read here.
  std::size_t n = ws.size();
  auto general = [&](const std::string& w) {
    return std::any_of(kinds.begin(), kinds.end(), [&](const auto& k) {
      return std::find(k.second.begin(), k.second.end(), w) != k.second.end();
    });
  };
  while (n > 0 && general(ws[n - 1])) --n;
  for (std::size_t i = 0; i < n; ++i) {
    if (!one_of(ws[i], {"from", "over", "using", "on", "in", "with"})) continue;
    for (std::size_t j = i + 1; j < n && j < i + 4; ++j)
      if (source(ws[j])) return;
  }
  add(r, "output", "text-out", 2.5, "an assistant answers with no text to answer from: it writes");
  // Its answers are written, not found: the question words speak for no span to extract.
  if (auto it = r.outputs.find("answer"); it != r.outputs.end()) take(r, "output", "answer", it->second);
}

// 12. "Similar students", "similar users": people alike in what they did, the ground of a
// recommendation, not texts compared.
void similar_people(const Words& ws, Reading& r) {
  static const std::set<std::string> people = {"student", "user", "customer", "people", "listener", "shopper", "viewer",
                                               "reader", "player", "member", "learner", "subscriber", "buyer", "guest"};
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    if (!one_of(ws[i], {"similar", "like-minded"}) || find_within(ws, i + 1, 2, people) < 0) continue;
    take(r, "output", "similar", 2);
    add(r, "output", "recommend", 1.5, "what similar " + ws[i + 1] + "s did");
    return;
  }
}

// 19. A text that "sounds" some way ("whether the message being typed sounds angry", "e-mails
// that sound rude"): "sound" is the verb of the text's tone, not a sound heard, unless something
// heard (a call, a voice, a recording) is what sounds so.
void sounding_text(const Words& ws, Reading& r) {
  static const std::set<std::string> texts = {"message", "text", "mail", "email", "review", "comment", "post", "tweet", "chat",
                                              "reply", "letter", "note", "sms", "caption", "headline", "ticket", "sentence",
                                              "wording", "draft", "essay", "answer", "response"};
  static const std::set<std::string> heard = {"call", "caller", "voice", "recording", "speaker", "audio", "song", "clip",
                                              "voicemail", "speech", "recorded", "engine", "motor", "machine"};
  for (std::size_t i = 1; i < ws.size(); ++i) {
    if (ws[i] != "sound" && ws[i] != "sounding") continue;
    // The subject of "sounds", a few words back: the first noun met that is a text or a thing heard.
    for (std::size_t j = i; j-- > 0 && j + 7 >= i;) {
      if (has(heard, ws[j])) return;
      if (!has(texts, ws[j])) continue;
      take(r, "input", "audio", 1);
      add(r, "input", "text", 1, "a " + ws[j] + " that sounds some way: its tone");
      return;
    }
  }
}

// 21. Summaries read, not written: "pull the drug names out of discharge summaries", "from the
// monthly sensor summaries". A summary after "out of", "from" or "in" with no "a"/"one" before it
// is documents handed over (text in); "put it in a short summary" still asks for one.
void given_summaries(const Words& ws, Reading& r) {
  static const std::set<std::string> source = {"from", "in", "within", "inside", "across", "of"};
  for (std::size_t i = 1; i < ws.size(); ++i) {
    if (ws[i] != "summary") continue;
    for (std::size_t j = i; j-- > 0 && j + 4 >= i;) {
      if (one_of(ws[j], {"a", "an", "one", "into", "as", "write", "produce", "generate", "give"})) break;
      if (!has(source, ws[j]) || (ws[j] == "of" && (j == 0 || ws[j - 1] != "out"))) continue;
      take(r, "output", "summary", 2);
      add(r, "input", "text", 1, "summaries given: " + ws[j] + " … summaries");
      return;
    }
  }
}

}  // namespace sml::describe::role_rules
