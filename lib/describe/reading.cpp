#include "sml/describe/reading.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include "sml/describe/text_task.hpp"

namespace sml::describe {
namespace {

// A cue: a word or phrase (compared after TaskClassifier::words) and how strongly it says what it
// says. Weak cues (0.5) are words with a second common sense ("camera" is photos or video, "call"
// is audio or an API call).
struct Cue {
  const char* text;
  double weight;
};
struct CueGroup {
  const char* kind;  // "input" or "output"
  const char* name;
  std::vector<Cue> cues;
};

// What goes in. Text cues are many and weak: problems about photos still mention "reports".
const std::vector<CueGroup>& groups() {
  static const std::vector<CueGroup> g = {
      {"input", "image", {{"photo", 1}, {"picture", 1}, {"pic", 1}, {"image", 1}, {"imagery", 1}, {"camera", 0.5},
                          {"x-ray", 1}, {"xray", 1}, {"radiograph", 1}, {"mri", 1}, {"ct", 0.5}, {"scan", 0.5}, {"dermoscopy", 1},
                          {"microscopy", 1}, {"microscope", 1}, {"satellite", 1}, {"aerial", 1}, {"drone", 0.5},
                          {"orthophoto", 1}, {"jpeg", 1}, {"jpg", 1}, {"png", 1}, {"selfie", 0.5}, {"screenshot", 1}, {"dicom", 1},
                          {"thumbnail", 1}, {"fluorescence", 0.5}, {"frame", 0.5}, {"visual", 0.5}, {"snapshot", 1},
                          {"grayscale", 1}, {"greyscale", 1}, {"rgb", 0.5}, {"monochrome", 0.5}, {"thermal", 0.5}}},
      {"input", "video", {{"video", 1.5}, {"footage", 1.5}, {"clip", 0.5}, {"film", 1}, {"filmed", 1}, {"filming", 1},
                          {"cctv", 1.5}, {"dashcam", 1.5}, {"broadcast", 1}, {"livestream", 1}, {"webcam", 1},
                          {"frame by frame", 1}, {"gif", 1}, {"match video", 1}, {"camera feed", 1}, {"stream", 0.5}}},
      {"input", "audio", {{"audio", 1.5}, {"sound", 1}, {"speech", 1}, {"voice", 1}, {"spoken", 1}, {"recording", 1},
                          {"recorded", 0.5}, {"microphone", 1}, {"mic", 1}, {"call", 0.5}, {"phone call", 1}, {"podcast", 1},
                          {"song", 1}, {"singing", 1}, {"music", 1}, {"dictate", 1}, {"dictation", 1}, {"dictated", 1},
                          {"soundscape", 1}, {"acoustic", 1}, {"wav", 1}, {"mp3", 1}, {"bark", 0.5}, {"cough", 1},
                          {"snore", 1}, {"talking", 0.5}, {"hear", 0.5}, {"listen", 0.5}, {"caller", 1}, {"speaker", 0.5},
                          {"meeting", 0.5}, {"interview", 0.5}, {"webinar", 1}, {"noise", 0.5}}},
      {"input", "text", {{"text", 1}, {"email", 1}, {"e-mail", 1}, {"ticket", 1}, {"review", 1}, {"comment", 1},
                         {"tweet", 1}, {"post", 0.5}, {"message", 0.5}, {"document", 0.5}, {"article", 1},
                         {"contract", 1}, {"clause", 1}, {"sentence", 1}, {"paragraph", 1}, {"essay", 1},
                         {"note", 0.5}, {"letter", 0.5}, {"chat", 0.5}, {"headline", 1}, {"transcript", 1},
                         {"abstract", 0.5}, {"manual", 0.5}, {"faq", 0.5}, {"handbook", 0.5}, {"wikipedia", 0.5},
                         {"news", 0.5}, {"passage", 0.5}, {"question", 0.5}, {"word", 0.5}, {"string", 0.5},
                         {"written", 0.5}, {"prompt", 0.5}, {"title", 0.5}, {"story", 0.5}}},
      {"input", "tabular", {{"spreadsheet", 1.5}, {"csv", 1.5}, {"table", 1}, {"tabular", 1.5}, {"column", 1.5}, {"row", 1},
                            {"record", 0.5}, {"crm", 1}, {"excel", 0.5}, {"database", 0.5}, {"feature", 0.5},
                            {"attribute", 0.5}, {"anonymised", 0.5}, {"numeric", 0.5}, {"field", 0.5},
                            // Measured profiles: one column per gene or protein.
                            {"gene", 1}, {"rna-seq", 1.5}, {"profile", 0.5}}},
      {"input", "series", {{"time series", 1.5}, {"timeseries", 1.5}, {"sensor", 1}, {"reading", 0.5}, {"meter", 1}, {"hourly", 1},
                           {"daily", 0.5}, {"history", 1}, {"historical", 1}, {"telemetry", 1}, {"metric", 0.5}, {"signal", 0.5},
                           {"ecg", 1}, {"eeg", 1}, {"accelerometer", 1}, {"vibration", 1}, {"demand", 1},
                           {"consumption", 1}, {"stock price", 1}, {"trend", 0.5}, {"log", 0.5}, {"page view", 1}}},
      {"input", "graph", {{"graph", 1.5}, {"node", 1}, {"edge", 0.5}, {"molecule", 1.5}, {"molecular", 1.5}, {"atom", 1},
                          {"bond", 0.5}, {"citation network", 1.5}, {"social network", 1.5}, {"knowledge graph", 1.5},
                          {"protein structure", 1}}},
      {"input", "user-item", {{"user", 0.5}, {"customer", 0.5}, {"purchase", 1}, {"click", 1}, {"rating", 1}, {"basket", 1},
                              {"session", 0.5}, {"shopper", 1}, {"bought", 1}, {"watched", 1}}},
      // What comes out.
      {"output", "label", {{"classify", 1}, {"classification", 1}, {"classifier", 1}, {"categorise", 1}, {"categorize", 1},
                           {"category", 1}, {"label", 1}, {"class", 1}, {"which", 0.5}, {"whether", 1}, {"tell if", 1},
                           {"is it", 0.5}, {"flag", 1}, {"sort", 1}, {"route", 1}, {"tag", 1}, {"triage", 1},
                           {"identify", 0.5}, {"recognise", 0.5}, {"recognize", 0.5}, {"grade", 0.5}, {"yes or no", 1},
                           {"binary", 1}, {"spam", 1}, {"sentiment", 1}, {"diagnose", 1}, {"type of", 0.5}, {"kind of", 0.5},
                           {"queue", 1}, {"department", 0.5}, {"topic", 0.5}, {"intent", 1}, {"genre", 1}, {"species", 0.5},
                           {"healthy", 0.5}, {"or not", 1}, {"real or", 1}, {"manipulated", 0.5}, {"churn", 1}, {"default", 0.5},
                           {"survived", 1}, {"positive or negative", 1}, {"each clause", 1.5}, {"every clause", 1.5},
                           {"each sentence", 1}, {"each paragraph", 1.5}, {"each email", 1}, {"each review", 1}, {"standard or", 1}, {"risky", 0.5}, {"assign", 0.5},
                           // A state of the item shown, on a scale of grades ("ripe" alone is no label: "detect ripe
                           // strawberries" finds them).
                           {"unripe", 0.5}, {"ripeness", 1}, {"overripe", 0.5}, {"freshness", 1}, {"spoiled", 0.5}}},
      {"output", "pixels", {{"pixel", 2}, {"per pixel", 2}, {"pixel-wise", 2}, {"mask", 1.5}, {"outline", 1.5}, {"segment", 1.5},
                            {"segmentation", 2}, {"contour", 1}, {"delineate", 1.5}, {"exact shape", 1.5}, {"exact area", 1.5},
                            {"area", 0.5}, {"boundary", 1}, {"silhouette", 1}, {"painted out", 1}, {"matting", 1.5},
                            {"background removal", 1.5}, {"remove the background", 1.5}, {"extent", 0.5}, {"margin", 0.5},
                            // Blurring or replacing what is behind a person needs the person's mask.
                            {"background blur", 2}, {"blur the background", 2}, {"blur everything behind", 2},
                            {"replace the background", 2}, {"virtual background", 2}, {"cut out", 1}, {"blur", 0.5}}},
      {"output", "boxes", {{"box", 2}, {"boxe", 2}, {"bounding", 2}, {"bbox", 2}, {"locate", 1.5}, {"localise", 1.5},
                           {"localize", 1.5}, {"where in", 1}, {"where they are", 1.5}, {"position", 1}, {"count", 1},
                           {"how many", 1}, {"detect", 0.5}, {"spot", 0.5}, {"every person", 1}, {"each person", 0.5},
                           {"detector", 1}, {"detection", 0.5}, {"find every", 1}, {"find all", 1}, {"zone", 1}, {"enters", 0.5}}},
      {"output", "tokens", {{"span", 1.5}, {"entity", 2}, {"named entity", 2}, {"highlight", 1}, {"extract", 1},
                            {"pull out", 1}, {"word by word", 1.5}, {"each word", 1.5}, {"every word", 1.5}, {"phrase", 0.5},
                            {"ner", 2}, {"part of speech", 2}, {"pos tag", 2}, {"person", 0.5}, {"organisation", 0.5},
                            {"organization", 0.5}, {"location", 0.5}, {"name", 0.5}, {"date", 0.5}, {"field", 0.5},
                            {"redact", 1.5}, {"anonymise", 1}, {"anonymize", 1}, {"keyword", 0.5}}},
      {"output", "transcript", {{"transcribe", 2}, {"transcription", 2}, {"transcript", 1}, {"dictate", 1}, {"dictation", 2},
                                {"dictated", 1.5}, {"subtitle", 2}, {"speech to text", 2}, {"speech-to-text", 2},
                                {"type out", 2}, {"write down", 1}, {"written text", 1}, {"into text", 1}, {"to text", 1},
                                {"captioning", 0.5}, {"closed caption", 2}, {"minute", 0.5}}},
      {"output", "vector", {{"vector", 2}, {"embedding", 2}, {"embed", 1.5}, {"fingerprint", 1}, {"representation", 1},
                            {"nearest neighbour", 1.5}, {"nearest neighbor", 1.5}, {"similarity search", 1.5},
                            {"retrieve", 1}, {"retrieval", 1}, {"vector search", 2}, {"feature", 0.5}, {"list of numbers", 2},
                            {"numeric representation", 2}, {"compare them", 1}}},
      {"output", "number", {{"price", 1}, {"value", 0.5}, {"amount", 0.5}, {"how much", 1}, {"continuous", 1},
                            {"regression", 1.5}, {"estimate", 0.5}, {"rent", 1}, {"salary", 1}, {"yield", 1}, {"score", 0.5},
                            {"duration", 0.5}, {"how long", 1}, {"age", 0.5}, {"number", 0.5}, {"predict the", 0.5}}},
      {"output", "future", {{"forecast", 2}, {"forecasting", 2}, {"next day", 1.5}, {"next week", 0.5}, {"next month", 0.5},
                            {"next hour", 1.5}, {"next 24", 1.5}, {"next 28", 1.5}, {"next 16", 1.5}, {"next two", 1.5},
                            {"ahead", 1}, {"future", 1}, {"upcoming", 1}, {"tomorrow", 1.5}, {"will sell", 1.5}, {"how many will", 1.5}}},
      {"output", "unusual", {{"anomaly", 2}, {"anomalous", 2}, {"unusual", 2}, {"abnormal", 1.5}, {"abnormally", 1.5},
                             {"outlier", 2}, {"odd", 1}, {"strange", 1}, {"deviation", 1}, {"fraud", 1}, {"fraudulent", 1},
                             {"intrusion", 1.5}, {"fault", 0.5}, {"never seen", 1}, {"normal", 0.5}, {"alert", 0.5},
                             {"unlabelled", 0.5}, {"no labelled", 0.5}}},
      {"output", "summary", {{"summarise", 2}, {"summarize", 2}, {"summary", 2}, {"summarisation", 2}, {"summarization", 2},
                             {"shorten", 1.5}, {"condense", 1.5}, {"digest", 1}, {"tl dr", 2}, {"bullet point", 0.5},
                             // Bullet points are the summary when text goes into them, not when text is written from them.
                             {"into bullet point", 1}, {"as bullet point", 1}, {"boil", 1}, {"half a page", 1.5},
                             {"one paragraph", 1}, {"short version", 1.5},
                             {"key point", 1}, {"gist", 1.5}, {"tldr", 2}, {"highlight paragraph", 1.5}, {"brief", 0.5}, {"recap", 1.5}}},
      {"output", "translation", {{"translate", 2.5}, {"translation", 2.5}, {"translated", 2.5}, {"translator", 2.5},
                                 {"localise", 1.5}, {"localize", 1.5}, {"localisation", 1.5}, {"localization", 1.5}}},
      {"output", "text-out", {{"write", 1}, {"draft", 1}, {"generate", 0.5}, {"reply", 1}, {"respond", 0.5}, {"compose", 0.5},
                              {"chatbot", 1}, {"story", 0.5}, {"description", 0.5}, {"complete", 0.5}, {"autocomplete", 1.5},
                              {"rewrite", 1.5}, {"paraphrase", 1}, {"code completion", 2}, {"assistant", 1}, {"llm", 2},
                              {"per token", 1.5}, {"chat model", 1.5},
                              {"improvise", 1.5}, {"make up", 1}, {"invent", 1}, {"dialogue", 0.5}, {"dialog", 0.5}}},
      {"output", "answer", {{"question", 1}, {"answer", 1.5}, {"ask", 1}, {"faq", 0.5}, {"look up", 0.5}, {"span", 0.5},
                            {"multiple choice", 1.5}, {"option", 0.5}}},
      {"output", "similar", {{"similar", 2}, {"similarity", 2}, {"same thing", 1.5}, {"duplicate", 2}, {"paraphrase", 1},
                             {"match", 0.5}, {"semantic search", 2}, {"near-duplicate", 2}, {"same product", 1}}},
      {"output", "description", {{"caption", 2}, {"alt text", 2}, {"describe", 1}, {"description", 1}, {"describing", 1},
                                 {"in a sentence", 1}, {"one sentence", 1}, {"what is in", 1}, {"what's in", 1}, {"prompt", 0.5},
                                 {"ocr", 1.5}, {"read the text", 1.5}, {"findings paragraph", 1},
                                 // Handwriting or print read off a page into text.
                                 {"handwritten", 1.5}, {"hand written", 1.5}, {"handwriting", 1.5}, {"into text", 1.5}}},
      {"output", "image-out", {{"illustration", 2}, {"artwork", 2}, {"art", 1}, {"draw", 1}, {"render", 1}, {"banner", 1},
                               {"logo", 1}, {"avatar", 1}, {"synthetic", 1}, {"generate image", 2}, {"generated image", 1},
                               {"upscale", 2}, {"super-resolution", 2}, {"inpaint", 2}, {"fill in", 1}, {"colourise", 2},
                               {"colorize", 2}, {"restore", 1}, {"sharper", 1}, {"bigger", 0.5}, {"texture", 1},
                               {"realistic", 0.5}, {"look like", 0.5}, {"new image", 2}, {"don't exist", 1.5}, {"dont exist", 1.5},
                               {"cover art", 2}, {"get an image", 2}, {"image back", 2}, {"picture of", 0.5}}},
      {"output", "speech-out", {{"read aloud", 2.5}, {"aloud", 2}, {"voice over", 2}, {"voiceover", 2}, {"narrate", 2},
                                {"narration", 2}, {"speak", 1}, {"text to speech", 2.5}, {"text-to-speech", 2.5}, {"tts", 2.5},
                                {"synthetic voice", 2}, {"natural voice", 2}, {"audiobook", 2}, {"to speech", 2},
                                {"listen", 0.5}, {"spoken version", 2}, {"talking", 1}, {"speak the", 1.5}, {"say aloud", 2},
                                // A voice made from one person's recordings (voice cloning).
                                {"clone", 1.5}, {"voice clone", 2.5}, {"recreate the voice", 2.5}, {"audio guide", 1}}},
      {"output", "depth", {{"depth", 2}, {"distance", 1.5}, {"how far", 2}, {"far away", 1.5}, {"disparity", 1.5},
                           {"3d", 0.5}, {"depth map", 2}}},
      {"output", "pose", {{"joint", 2}, {"keypoint", 2}, {"skeleton", 2}, {"pose", 2}, {"posture", 1.5}, {"landmark", 0.5},
                          {"body part", 1.5}, {"elbow", 1.5}, {"knee", 1.5}, {"shoulder", 1}, {"wrist", 1.5}, {"hip", 1},
                          {"angle", 0.5}, {"nose", 1}, {"ear", 1}, {"tail", 0.5}, {"paw", 1.5}, {"limb", 1.5}, {"body landmark", 2}}},
      {"output", "speech-present", {{"silence", 2}, {"silent", 2}, {"voice activity", 2.5}, {"vad", 2.5}, {"somebody is talking", 2},
                                    {"someone is talking", 2}, {"someone speaks", 2}, {"somebody speaks", 2}, {"is speaking", 1.5},
                                    {"speech segment", 2}, {"non-speech", 2}, {"when people talk", 2}, {"speech start", 2}}},
      {"output", "recommend", {{"recommend", 2}, {"recommendation", 2}, {"recommender", 2}, {"suggest", 1}, {"personalise", 1.5},
                               {"personalize", 1.5}, {"personalised", 1.5}, {"personalized", 1.5}, {"will like", 1.5},
                               {"will buy", 1.5}, {"next item", 1.5}, {"also bought", 1.5}, {"for you", 1},
                               {"might also like", 2}, {"may also like", 2}, {"because you watched", 2}, {"because u watched", 2},
                               {"watch next", 1.5}, {"do next", 1}, {"read next", 1.5}, {"buy next", 1.5}}},
      {"output", "policy", {{"agent", 1.5}, {"reward", 2}, {"policy", 1}, {"reinforcement", 2}, {"self-play", 2},
                            {"plays", 1}, {"simulator", 1}, {"trial and error", 2}, {"controller", 1}, {"playing against", 2},
                            {"game", 0.5}, {"on its own", 1.5}, {"by trying", 2}, {"trying stuff", 2}, {"decide when", 1.5},
                            {"learns by", 1.5}, {"charge and discharge", 1}}},
      {"output", "no-examples", {{"no labelled", 2}, {"no labeled", 2}, {"without labelled", 2}, {"without labeled", 2},
                                 {"zero-shot", 2.5}, {"zero shot", 2.5}, {"on the fly", 1.5}, {"no training data", 2},
                                 {"no examples", 2}, {"without examples", 2}, {"no labelled examples", 2}, {"new categories", 1.5},
                                 {"invents", 1}, {"without training", 2}, {"any labelled", 2}, {"any labeled", 2}, {"team picks", 1},
                                 // Labels that exist only as names, chosen as the work goes ("whatever
                                 // topics the editors pick", "we don't have any labels yet").
                                 {"any label", 2}, {"no label", 2}, {"without label", 2}, {"label yet", 1.5},
                                 {"unlabelled", 1}, {"unlabeled", 1}, {"whatever category", 2}, {"whatever topic", 2},
                                 {"whatever label", 2}, {"whatever tag", 2}, {"come up with", 1}, {"change all the time", 1}}},
      {"output", "fill", {{"fill in the blank", 2.5}, {"missing word", 2.5}, {"masked word", 2.5}, {"fill-mask", 2.5},
                          {"blank", 1}, {"cloze", 2.5}}},
  };
  return g;
}

// Words that something is to be learnt or recognised from data, and words of IT, arithmetic and
// office work that is not. These decide, with the input and output cues, whether the request is a
// learning problem.
const std::vector<Cue>& learning_cues() {
  static const std::vector<Cue> c = {
      {"predict", 1.5}, {"prediction", 1.5}, {"classify", 1.5}, {"detect", 1}, {"recognise", 1}, {"recognize", 1},
      {"identify", 1}, {"model", 1}, {"train", 1.5}, {"trained", 1.5}, {"training", 1}, {"learn", 1.5}, {"labelled", 1.5},
      {"labeled", 1.5}, {"annotated", 1.5}, {"dataset", 1.5}, {"data set", 1.5}, {"ai", 1}, {"machine learning", 2}, {"ml", 1},
      {"neural", 2}, {"deep learning", 2}, {"fine-tune", 2}, {"finetune", 2}, {"automatically", 0.5}, {"estimate", 0.5},
      {"forecast", 1.5}, {"transcribe", 1.5}, {"translate", 1}, {"summarise", 1}, {"summarize", 1}, {"generate", 1},
      {"recommend", 1}, {"segment", 1}, {"embedding", 1.5}, {"inference", 1.5}, {"accuracy", 1}, {"classifier", 1.5},
      {"example", 0.5}, {"photo", 0.5}, {"image", 0.5}, {"audio", 0.5}, {"video", 0.5}, {"recording", 0.5},
      // A surrogate or emulator learns a solver's input-output map from its past runs.
      {"surrogate", 2.5}, {"emulator", 1.5}};
  return c;
}
const std::vector<Cue>& office_cues() {
  static const std::vector<Cue> c = {
      {"cron", 2}, {"nginx", 2}, {"apache", 1}, {"config", 1}, {"configure", 1}, {"install", 1}, {"docker", 2},
      {"compose up", 2}, {"kubernetes", 2}, {"ingress", 1.5}, {"pod", 1}, {"git", 2}, {"merge conflict", 2}, {"rebase", 2},
      {"branch", 0.5}, {"commit", 1}, {"sql", 1.5}, {"sql query", 2}, {"join", 0.5}, {"css", 2}, {"html", 2}, {"div", 2},
      {"flex", 1}, {"regex", 2}, {"regular expression", 2}, {"formula", 1.5}, {"excel", 0.5}, {"vlookup", 2},
      {"pivot table", 2}, {"printer", 2}, {"wifi", 2}, {"router", 1}, {"firmware", 1.5}, {"password", 1.5},
      {"mortgage", 2}, {"interest", 0.5}, {"tax", 1.5}, {"pension", 1.5}, {"convert", 1}, {"conversion", 1},
      {"calculate", 1}, {"calculator", 2}, {"formula", 1}, {"port", 1}, {"postgres", 2}, {"server", 0.5}, {"debug", 1.5},
      {"error", 0.5}, {"fails with", 1.5}, {"upgrade", 1}, {"log rotate", 2}, {"logrotate", 2}, {"gzip", 2},
      {"gzipped", 2}, {"backup", 1.5}, {"website", 1.5}, {"wordpress", 2}, {"signup form", 1.5}, {"form", 0.5},
      {"how do i", 0.5}, {"what's the fix", 1.5}, {"invoice template", 2}, {"timetable", 1.5}, {"rota", 1.5},
      {"schedule", 1}, {"shortest route", 2}, {"solver", 1.5}, {"minimise", 1}, {"minimize", 1}, {"optimise", 1},
      {"optimize", 1}, {"budget spreadsheet", 2}, {"spreadsheet formula", 2}, {"unit", 0.5}, {"monthly payment", 2},
      // Operations and storage work, scripts, dashboards, buying advice.
      {"replica", 1.5}, {"failover", 1.5}, {"fail over", 1.5}, {"availability zone", 2}, {"bash", 2}, {"script", 1},
      {"shell", 1}, {"rename", 1}, {"raid", 2}, {"nas", 2}, {"drive", 0.5}, {"power bi", 2}, {"tableau", 1.5},
      {"dashboard", 1.5}, {"chart", 0.5}, {"upstream", 1}, {"s3", 1}, {"back up", 1.5}, {"should i buy", 2},
      {"which laptop", 1.5}, {"integrated graphic", 1.5}, {"enough for", 0.5}, {"office work", 1},
      // Planning: routes for vehicles, packing, fixtures and rosters.
      {"plan route", 2}, {"plan the route", 2}, {"route planning", 2}, {"drop-off", 1}, {"mileage", 1},
      {"driving time", 1}, {"van", 0.5}, {"truck", 0.5}, {"shipping container", 1}, {"as few", 1}, {"fit box", 1},
      {"shift", 1}, {"fixture", 1.5}, {"round robin", 2}, {"home and away", 1.5}, {"exam timetable", 2},
      {"technician", 0.5}, {"nobody work", 1}, {"no student", 1},
      // Assignment under hard constraints ("assign 35 technicians to 80 jobs, respecting skills and
      // travel time") is a planning problem; "the fastest way to" do something is a how-to question.
      {"respecting", 1}, {"subject to", 1}, {"travel time", 1}, {"fastest way", 1}, {"quickest way", 1},
      // Work a known deterministic tool does, whose output follows from the input by a fixed rule
      // and is learnt from no examples: format and codec conversion (ffmpeg, ImageMagick,
      // Ghostscript), image edits, exact de-duplication, database tuning, load testing,
      // threshold alerts, shortest or cheapest routes.
      {"transcode", 2}, {"encode", 1}, {"h.265", 2}, {"h.264", 2}, {"hevc", 2}, {"codec", 1.5}, {"bitrate", 1.5},
      {"lufs", 2}, {"loudness", 1}, {"to mp3", 1.5}, {"to pdf", 1.5}, {"pdf/a", 2}, {"tiff", 1}, {"to png", 1.5},
      {"to jpeg", 1.5}, {"to jpg", 1.5}, {"to webp", 1.5}, {"disk space", 1.5}, {"file size", 1}, {"merge", 0.5},
      {"resize", 1.5}, {"watermark", 2}, {"crop", 0.5}, {"rotate", 0.5}, {"docker image", 2}, {"container image", 2},
      {"remove duplicate", 1.5}, {"duplicate row", 2}, {"is identical", 1.5}, {"exact match", 1}, {"identical", 0.5},
      {"postgresql", 2}, {"mysql", 2}, {"index", 1}, {"got slow", 1}, {"slow query", 2},
      {"load test", 2}, {"stress test", 2}, {"rest api", 1.5}, {"api", 0.5}, {"request per second", 1}, {"p99", 1},
      {"grafana", 2}, {"prometheus", 2}, {"stays above", 1.5}, {"goes above", 1.5}, {"drops below", 1.5},
      {"shortest path", 2}, {"flight path", 1.5}, {"fly zone", 1.5}, {"cheapest route", 2}, {"fastest route", 2},
      {"optimal route", 2}, {"best route", 1.5}, {"delivery route", 2},
      // Automation whose every step is stated: messages sent on a rule or a timer (a mail merge or
      // a scheduler), table operations keyed on a column, code migration with its own tools,
      // documents laid out from a template. None has anything to recognise or predict.
      {"sms", 1.5}, {"text message", 1.5}, {"send an email", 1.5}, {"send email", 1.5}, {"email me", 1.5},
      {"remind", 1}, {"reminder", 1}, {"notify", 1}, {"mail merge", 2}, {"nightly", 1}, {"every night", 1},
      {"month end", 1}, {"end of the month", 1}, {"expire", 0.5}, {"etl", 1.5}, {"cron job", 2},
      {"sort by", 1.5}, {"sorted by", 1.5}, {"order by", 1.5}, {"group by", 1.5}, {"csv", 0.5}, {"column", 0.5},
      {"row", 0.5}, {"join on", 1.5}, {"vlookup", 2}, {"codebase", 1.5}, {"python 2", 1.5}, {"refactor", 1.5},
      {"linter", 2}, {"compile", 1}, {"template", 1}, {"lay out", 1.5}, {"layout", 1}, {"for print", 1.5}, {"pdf", 0.5},
      // Documents that all share one layout, made by one program, are parsed by position or
      // pattern (pdftotext and a rule), with no examples to learn from.
      {"same layout", 2}, {"same template", 2}, {"fixed layout", 2}, {"identical layout", 2}, {"same format", 1.5}};
  return c;
}

struct Compiled {
  std::vector<std::string> words;
  double weight;
  const CueGroup* group;  // null for the learning / office lists
  int list;               // 0 group, 1 learning, 2 office
  std::string text;
};

const std::vector<Compiled>& compiled() {
  static const std::vector<Compiled> all = [] {
    std::vector<Compiled> v;
    for (const auto& g : groups())
      for (const auto& c : g.cues) v.push_back({TaskClassifier::words(c.text), c.weight, &g, 0, c.text});
    for (const auto& c : learning_cues()) v.push_back({TaskClassifier::words(c.text), c.weight, nullptr, 1, c.text});
    for (const auto& c : office_cues()) v.push_back({TaskClassifier::words(c.text), c.weight, nullptr, 2, c.text});
    return v;
  }();
  return all;
}

struct Signature {
  const char* task;
  std::vector<std::string> inputs;
  std::string output;
  bool required;  // the task makes no sense without its output cue (translation without "translate")
};

// The input modalities and the output each task of the catalogue is about.
const std::vector<Signature>& signatures() {
  static const std::vector<Signature> s = {
      {"image-classification", {"image"}, "label", false},
      {"object-detection", {"image", "video"}, "boxes", false},
      {"image-segmentation", {"image", "video"}, "pixels", false},
      {"depth-estimation", {"image", "video"}, "depth", true},
      {"keypoint-detection", {"image", "video"}, "pose", true},
      {"video-classification", {"video"}, "label", false},
      {"audio-classification", {"audio"}, "label", false},
      {"automatic-speech-recognition", {"audio"}, "transcript", false},
      {"voice-activity-detection", {"audio"}, "speech-present", true},
      {"text-to-speech", {"text"}, "speech-out", true},
      {"text-classification", {"text"}, "label", false},
      {"token-classification", {"text"}, "tokens", false},
      {"translation", {"text"}, "translation", true},
      {"summarization", {"text"}, "summary", true},
      {"text-generation", {"text"}, "text-out", false},
      {"question-answering", {"text"}, "answer", false},
      {"sentence-similarity", {"text"}, "similar", false},
      {"fill-mask", {"text"}, "fill", true},
      {"feature-extraction", {"image", "audio", "text"}, "vector", false},
      {"tabular-classification", {"tabular"}, "label", false},
      {"tabular-regression", {"tabular"}, "number", false},
      {"time-series-forecasting", {"series"}, "future", false},
      {"anomaly-detection", {"tabular", "series", "image", "audio"}, "unusual", false},
      {"graph-ml", {"graph"}, "", false},
      {"recommendation", {"user-item"}, "recommend", false},
      {"reinforcement-learning", {}, "policy", true},
      {"image-to-text", {"image"}, "description", false},
      {"text-to-image", {"text"}, "image-out", true},
      {"image-generation", {"image"}, "image-out", true},
      {"zero-shot-classification", {"text", "image"}, "no-examples", true},
  };
  return s;
}

const Signature* signature(const std::string& id) {
  for (const auto& s : signatures())
    if (id == s.task) return &s;
  return nullptr;
}

// Outputs that say more than "a label": when one of them is read, a label cue ("label every pixel
// as soil, crop or weed") describes the classes of that output, not a label per item.
const std::set<std::string>& specific_outputs() {
  static const std::set<std::string> s = {"pixels", "boxes", "tokens", "transcript", "vector", "summary", "translation",
                                          "depth", "pose", "speech-out", "image-out", "description", "future",
                                          "speech-present", "recommend", "policy"};
  return s;
}

// Cue strengths saturate: three words for "photo" are no stronger evidence than two.
double saturate(double x) { return std::min(1.0, x / 1.5); }

// Score weights, on the scale of the classifier's BM25 scores (a task's own words sum to about 5-15).
constexpr double kOutputWeight = 4, kInputWeight = 2.5, kConflictWeight = 3, kRequiredPenalty = 6, kOutputConflictWeight = 4;

}  // namespace

// Whether the text's word W is the cue word C, or C inflected: "sorted" and "tagged" are "sort" and
// "tag", "classified" is "classify", "blurred" is "blur" (cues are written in their base form).
bool inflected(const std::string& w, const std::string& c) {
  if (w == c) return true;
  // "Labelled" and "tagged" describe the examples held ("40k labelled reviews"), not the output.
  if (c == "label" || c == "tag") return false;
  if (w.size() < c.size() + 2 || w.compare(0, c.size() - 1, c, 0, c.size() - 1) != 0) return false;
  for (const char* suffix : {"ed", "ing", "d"}) {
    const std::size_t n = std::strlen(suffix);
    if (w.size() <= n || w.compare(w.size() - n, n, suffix) != 0) continue;
    std::string stem = w.substr(0, w.size() - n);
    if (stem == c || stem + "e" == c) return true;
    if (stem.size() >= 3 && stem.back() == stem[stem.size() - 2] && stem.substr(0, stem.size() - 1) == c) return true;
    if (stem.size() >= 2 && stem.back() == 'i' && stem.substr(0, stem.size() - 1) + "y" == c) return true;
  }
  return false;
}
bool cue_at(const std::vector<std::string>& cue, const std::vector<std::string>& ws, std::size_t i) {
  for (std::size_t k = 0; k < cue.size(); ++k)
    if (!inflected(ws[i + k], cue[k])) return false;
  return true;
}

Reading read_statement(const std::vector<std::string>& ws, const std::vector<bool>& negated) {
  Reading r;
  std::set<const Compiled*> seen;
  // Two cues of one group read at the same word ("no labelled" and "no label") are one cue.
  std::set<std::pair<const CueGroup*, std::size_t>> at;
  for (const auto& c : compiled()) {
    if (c.words.empty()) continue;
    for (std::size_t i = 0; i + c.words.size() <= ws.size(); ++i) {
      if (!cue_at(c.words, ws, i)) continue;
      // "no text prompts": a cue denied is no cue; except cues that say the denial ("don't have any labelled").
      if (i < negated.size() && negated[i] && !(c.group && std::string(c.group->name) == "no-examples")) continue;
      if (c.group && !at.insert({c.group, i}).second) continue;
      if (!seen.insert(&c).second) break;
      if (c.list == 1) r.learning += c.weight;
      else if (c.list == 2) r.not_learning += c.weight;
      else {
        auto& m = std::string(c.group->kind) == "input" ? r.inputs : r.outputs;
        m[c.group->name] += c.weight;
        r.cues[std::string(c.group->kind) + ": " + c.group->name].push_back(c.text);
      }
      break;
    }
  }
  // "Sort a csv by date", "order the rows by price": putting items in order of a field they already
  // carry is data handling, not a label to learn; "sort tickets by topic" or "sort into" still is.
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "sort" && ws[i] != "order") continue;
    static const std::set<std::string> fields = {"date", "time", "timestamp", "name", "size", "length", "price",
                                                 "revenue", "id", "column", "value", "amount", "alphabetically",
                                                 "created", "modified", "number", "cost", "age", "distance", "year"};
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 10; ++j) {  // "sort the 2 million rows of my sheet by date"
      if (ws[j] == "into" || ws[j] == "as") break;
      if (ws[j] == "by" && j + 1 < ws.size() && fields.count(ws[j + 1])) {
        if (ws[i] == "sort" && r.outputs.count("label")) {
          r.outputs["label"] = std::max(0.0, r.outputs["label"] - 1);
          auto& said = r.cues["output: label"];
          said.erase(std::remove(said.begin(), said.end(), std::string("sort")), said.end());
        }
        r.not_learning += 1.5;
        break;
      }
    }
  }
  // Examples of the normal state only ("we only have images of good welds", "only recordings of
  // the pump running normally"): nothing to learn a label from, so what is wanted is whatever
  // departs from them, which is anomaly detection, whatever the output words say.
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "only" || (i < negated.size() && negated[i])) continue;
    static const std::set<std::string> normal = {"good", "normal", "normally", "healthy", "intact", "flawless",
                                                 "defect-free", "fault-free", "working", "undamaged", "ok", "okay"};
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 7; ++j)
      if (normal.count(ws[j])) {
        r.outputs["unusual"] += 2;
        r.cues["output: unusual"].push_back("only normal examples");
        i = ws.size();
        break;
      }
  }
  // "Generate a PDF invoice for every order", "print a certificate per attendee": a document made
  // from records is filled in from a template (a mail merge or a report writer), not generated by a
  // model; the verb is no word of learning then.
  for (std::size_t i = 0; i < ws.size(); ++i) {
    static const std::set<std::string> make = {"generate", "create", "produce", "print", "export", "render", "make"};
    static const std::set<std::string> documents = {"pdf", "invoice", "receipt", "payslip", "certificate", "barcode", "qr"};
    if (!make.count(ws[i]) || (i < negated.size() && negated[i])) continue;
    bool document = false;
    for (std::size_t j = i + 1; j < ws.size() && j <= i + 4; ++j) document |= documents.count(ws[j]) > 0;
    if (!document) continue;
    for (const auto& c : learning_cues())
      if (ws[i] == c.text) r.learning = std::max(0.0, r.learning - c.weight);
    r.not_learning += 1.5;
    break;
  }
  // "How many X to bake / order / stock each morning": a quantity for each coming period, read from
  // its history, is a forecast.
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    if (ws[i] != "how" || ws[i + 1] != "many") continue;
    static const std::set<std::string> periods = {"morning", "day", "week", "month", "hour", "shift", "evening", "weekend", "season"};
    for (std::size_t j = i + 2; j + 1 < ws.size() && j <= i + 9; ++j)
      if ((ws[j] == "each" || ws[j] == "every" || ws[j] == "per" || ws[j] == "next") && periods.count(ws[j + 1])) {
        r.outputs["future"] += 1.5;
        r.cues["output: future"].push_back("how many per coming period");
        i = ws.size();
        break;
      }
  }
  // A longer phrase covers its words: "time series" is not also "series"; nothing to undo here as
  // cue groups do not nest. A specific output discounts the generic label cue.
  double specific = 0;
  for (const auto& [name, v] : r.outputs)
    if (specific_outputs().count(name)) specific = std::max(specific, v);
  if (specific >= 1.5 && r.outputs.count("label")) r.outputs["label"] *= 0.4;
  return r;
}

void read_listed_classes(Reading& r, double classes) {
  if (classes < 2) return;
  double specific = 0;
  for (const auto& [name, v] : r.outputs)
    if (specific_outputs().count(name) && name != "speech-present") specific = std::max(specific, v);
  if (classes >= 3 && r.outputs.count("speech-present")) {
    const auto& said = r.cues["output: speech-present"];
    if (std::all_of(said.begin(), said.end(), [](const std::string& w) { return w == "silence" || w == "silent"; })) {
      r.outputs.erase("speech-present");
      r.cues.erase("output: speech-present");
    }
  }
  if (specific >= 1) return;
  r.outputs["label"] += 1;
  r.cues["output: label"].push_back("classes listed or counted");
}

std::map<std::string, double> task_adjustments(const Reading& r, const std::vector<std::string>& ids) {
  std::map<std::string, double> adj;
  auto get = [](const std::map<std::string, double>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? 0.0 : it->second;
  };
  double strongest_input = 0;
  for (const auto& [m, v] : r.inputs)
    if (m != "text") strongest_input = std::max(strongest_input, saturate(v));
  // The clearest specific output read ("boxes around", "every pixel"): a task with another output,
  // none of whose own output was read, is marked down, as an input conflict is.
  std::string clearest;
  double clearest_v = 0;
  for (const auto& [name, v] : r.outputs)
    if (specific_outputs().count(name) && v > clearest_v) clearest = name, clearest_v = v;
  for (const auto& id : ids) {
    const Signature* s = signature(id);
    if (!s) continue;
    double in = 0;
    for (const auto& m : s->inputs) in = std::max(in, saturate(get(r.inputs, m)));
    // Text cues are weak and common; a task over text conflicts only with a clearly other input.
    double other = 0;
    for (const auto& [m, v] : r.inputs)
      if (std::find(s->inputs.begin(), s->inputs.end(), m) == s->inputs.end() && m != "user-item")
        other = std::max(other, (m == "text" ? 0.5 : 1.0) * saturate(v));
    const double out = s->output.empty() ? 0 : saturate(get(r.outputs, s->output));
    double a = kOutputWeight * out + kInputWeight * in;
    if (!s->inputs.empty()) a -= kConflictWeight * std::max(0.0, other - in);
    if (s->required && out == 0) a -= kRequiredPenalty;
    if (clearest_v >= 1.5 && out == 0 && !s->output.empty() && s->output != clearest) a -= kOutputConflictWeight * saturate(clearest_v);
    // A label per item said outright ("say whether they're texting, eating or driving") and no
    // word of a task's own specific output ("box", "every pixel"): that task is marked down too.
    else if (clearest_v < 1 && get(r.outputs, "label") >= 2 && out == 0 && specific_outputs().count(s->output))
      a -= kOutputConflictWeight * 0.5;
    adj[id] = a;
  }
  (void)strongest_input;
  return adj;
}

std::string output_decides(const Reading& r, const std::vector<std::pair<std::string, double>>& ranked) {
  if (ranked.empty()) return "";
  auto get = [&](const std::string& k) {
    auto it = r.outputs.find(k);
    return it == r.outputs.end() ? 0.0 : it->second;
  };
  // The clearest output: a specific one said outright (two strong words: "bounding boxes", "every
  // pixel"), or a generic one said over and over ("classify ... binary ... whether").
  std::string clearest;
  double clearest_v = 0;
  for (const auto& [name, v] : r.outputs) {
    const double needed = specific_outputs().count(name) || name == "similar" ? 2 : 2.5;
    if (v >= needed && v > clearest_v) clearest = name, clearest_v = v;
  }
  // The top catalogue task: an out-of-scope kind ranked above it ("shift" of "shift reports" read
  // as rostering) has no output of its own to weigh.
  const Signature* top = nullptr;
  for (const auto& p : ranked)
    if ((top = signature(p.first))) break;
  if (clearest.empty() || !top || top->output == clearest || 2 * get(top->output) >= clearest_v) return "";
  for (const auto& [id, score] : ranked) {
    const Signature* s = signature(id);
    if (!s || s->output != clearest) continue;
    // Over the same input: the domain words ("chest x-rays") that raised the top task say what
    // goes in, which both share; what must come out decides.
    const bool shared = top->inputs.empty() || s->inputs.empty() ||
                        std::any_of(s->inputs.begin(), s->inputs.end(), [&](const std::string& m) {
                          return std::find(top->inputs.begin(), top->inputs.end(), m) != top->inputs.end();
                        });
    // Nor does a top task none of whose inputs was read at all stand on what goes in.
    const bool top_input_read = std::any_of(top->inputs.begin(), top->inputs.end(), [&](const std::string& m) {
      return r.inputs.count(m) && r.inputs.at(m) > 0;
    });
    if (shared || !top_input_read) return id;
  }
  return "";
}

std::vector<std::string> reading_evidence(const Reading& r, const std::string& id) {
  std::vector<std::string> out;
  const Signature* s = signature(id);
  if (!s) return out;
  auto line = [&](const std::string& key, const std::string& said) {
    auto it = r.cues.find(key);
    if (it == r.cues.end()) return;
    std::string words;
    for (const auto& w : it->second) words += (words.empty() ? "" : ", ") + w;
    out.push_back(said + " (" + words + ")");
  };
  static const std::map<std::string, std::string> outputs = {
      {"label", "output: a label per item"}, {"pixels", "output: a label per pixel"}, {"boxes", "output: boxes around objects"},
      {"tokens", "output: a label per token or span"}, {"transcript", "output: a transcript"}, {"vector", "output: a vector per item"},
      {"number", "output: a number"}, {"future", "output: future values"}, {"unusual", "output: what is unusual"},
      {"summary", "output: a summary"}, {"translation", "output: a translation"}, {"text-out", "output: written text"},
      {"answer", "output: answers to questions"}, {"similar", "output: how similar texts are"},
      {"description", "output: a description in words"}, {"image-out", "output: images"}, {"speech-out", "output: speech"},
      {"depth", "output: distance per pixel"}, {"pose", "output: body or object keypoints"},
      {"speech-present", "output: where speech is"}, {"recommend", "output: items to recommend"},
      {"policy", "output: actions of an agent"}, {"no-examples", "output: labels with no training examples"},
      {"fill", "output: a missing word"}};
  for (const auto& m : s->inputs) line("input: " + m, "input: " + m);
  if (!s->output.empty()) line("output: " + s->output, outputs.at(s->output));
  return out;
}

std::vector<std::string> cue_words() {
  std::set<std::string> s;
  for (const auto& c : compiled())
    for (const auto& w : c.words) s.insert(w);
  return {s.begin(), s.end()};
}

std::vector<std::string> task_inputs(const std::string& id) {
  const Signature* s = signature(id);
  return s ? s->inputs : std::vector<std::string>{};
}
std::string task_output(const std::string& id) {
  const Signature* s = signature(id);
  return s ? s->output : "";
}

}  // namespace sml::describe
