// Languages (task/v1 languages.{source,target,count} against the catalogue's `languages:`): a
// single-direction translator fits its own direction only, many-language translation takes a
// many-to-many model, an English-only recogniser is never a fit for Spanish audio, and a model
// whose languages the catalogue does not give is unknown, never a pass.
#include <doctest/doctest.h>

#include "sml/suggest/suggest.hpp"
#include "suggest_toy.hpp"

namespace {
sml::Doc run(const std::string& body) { return sml::suggest::suggest(real_suggest_options(body)); }

// The candidate's violations and missing figures that name languages.
std::string language_verdicts(const sml::Doc& d, const std::string& id, std::string* fits = nullptr) {
  for (const auto& c : d.find("candidates")->as_list()) {
    if (c.find("model")->as_string() != id) continue;
    if (fits) *fits = c.find("fits")->as_string();
    std::string s;
    for (const char* key : {"violations", "missing"})
      for (const auto& x : c.find(key)->as_list())
        if (x.as_string().find("language") != std::string::npos || x.as_string().find("translates") != std::string::npos ||
            x.as_string().find("handles") != std::string::npos)
          s += std::string(key) + ": " + x.as_string() + "\n";
    return s;
  }
  return "absent";
}

const std::string kTranslation = "task: {id: translation, confidence: 0.9}\nmodalities: [text]\ndeployment: {device: nvidia-l4}\n";
const std::string kAsr = "task: {id: automatic-speech-recognition, confidence: 0.9}\nmodalities: [audio]\ndeployment: {device: nvidia-l4}\n";
}  // namespace

TEST_SUITE("suggest") {
  TEST_CASE("languages: a single-direction translator fits its own direction only") {
    const auto en_de = run(kTranslation + "languages: {source: [en], target: [de]}\n");
    CHECK(language_verdicts(en_de, "opus-mt-en-de") == "");
    CHECK(language_verdicts(en_de, "t5-small") == "");  // T5 translates en-de too
    const auto es_fr = run(kTranslation + "languages: {source: [es], target: [fr]}\n");
    std::string fits;
    const std::string v = language_verdicts(es_fr, "opus-mt-en-de", &fits);
    CHECK(fits == "false");
    CHECK(v.find("translates en-de only; the task needs es-fr") != std::string::npos);
    CHECK(language_verdicts(es_fr, "t5-small", &fits).find("the task needs es-fr") != std::string::npos);
  }

  TEST_CASE("languages: translating between many languages takes a many-to-many model") {
    const auto d = run(kTranslation + "languages: {count: 30}\n");
    std::string fits;
    CHECK(language_verdicts(d, "opus-mt-en-de", &fits).find("many-to-many") != std::string::npos);
    CHECK(fits == "false");
    CHECK(language_verdicts(d, "t5-base", &fits).find("many-to-many") != std::string::npos);
    CHECK(language_verdicts(d, "nllb-200-distilled-600m") == "");  // 200 languages, any to any
    // Three named languages count as many.
    const auto three = run(kTranslation + "languages: {source: [en, fr], target: [de]}\n");
    CHECK(language_verdicts(three, "opus-mt-en-de").find("many-to-many") != std::string::npos);
  }

  TEST_CASE("languages: the model card's language codes decide; a translator that lists the task's languages ranks first") {
    // NLLB-200's card lists ja, ko and th; flan-t5-base's languages are not in the catalogue.
    const auto d = run(kTranslation + "languages: {source: [en], target: [ja, ko, th]}\n");
    std::string fits;
    CHECK(language_verdicts(d, "nllb-200-distilled-600m", &fits) == "");
    CHECK(fits == "true");
    CHECK(language_verdicts(d, "flan-t5-base", &fits).find("not in the catalogue") != std::string::npos);
    CHECK(fits == "unknown");
    CHECK(d.find("candidates")->as_list().front().find("model")->as_string() == "nllb-200-distilled-600m");
    // A language the card does not list by a two-letter code is unknown, not a pass.
    const auto quechua = run(kTranslation + "languages: {source: [en], target: [qu]}\n");
    CHECK(language_verdicts(quechua, "nllb-200-distilled-600m", &fits) != "");
    CHECK(fits != "true");
  }

  TEST_CASE("languages: an English-only recogniser is never a fit for Spanish audio") {
    const auto d = run(kAsr + "languages: {source: [es]}\n");
    std::string fits;
    CHECK(language_verdicts(d, "wav2vec2-base-960h", &fits).find("handles en, not es") != std::string::npos);
    CHECK(fits == "false");
    CHECK(language_verdicts(d, "hubert-large-ls960-ft", &fits).find("not es") != std::string::npos);
    CHECK(language_verdicts(d, "whisper-base") == "");  // Spanish is among Whisper's 99
    // English audio: both fit on language.
    const auto en = run(kAsr + "languages: {source: [en]}\n");
    CHECK(language_verdicts(en, "wav2vec2-base-960h") == "");
    // No languages stated: no language verdict at all.
    CHECK(language_verdicts(run(kAsr), "wav2vec2-base-960h") == "");
  }

  TEST_CASE("languages: a model whose languages the catalogue does not give is unknown, never a pass") {
    const auto d = run("task: {id: text-classification, confidence: 0.9}\nmodalities: [text]\ndeployment: {device: nvidia-l4}\n"
                       "languages: {source: [de]}\n");
    std::string fits;
    CHECK(language_verdicts(d, "bert-base-uncased", &fits).find("handles en, not de") != std::string::npos);
    CHECK(fits == "false");
    const std::string v = language_verdicts(d, "deberta-v3-base", &fits);  // no languages in its entry
    CHECK(v.find("missing: the languages deberta-v3-base handles (not in the catalogue)") != std::string::npos);
    CHECK(fits != "true");
  }
}
