// What goes in. Text cues are many and weak: problems about photos still mention "reports".
#include "cues.hpp"

namespace sml::describe::cues {

const std::vector<CueGroup>& input_groups() {
  static const std::vector<CueGroup> g = {
      {"input", "image", {{"photo", 1}, {"picture", 1}, {"pic", 1}, {"image", 1}, {"imagery", 1}, {"camera", 0.5},
                          {"cam", 0.5},  // "doorbell cam", "feeder cam": the camera, shortened
                          {"x-ray", 1}, {"xray", 1}, {"radiograph", 1}, {"mri", 1}, {"ct", 0.5}, {"scan", 0.5}, {"dermoscopy", 1},
                          {"microscopy", 1}, {"microscope", 1}, {"satellite", 1}, {"aerial", 1}, {"drone", 0.5},
                          {"orthophoto", 1}, {"jpeg", 1}, {"jpg", 1}, {"png", 1}, {"selfie", 0.5}, {"screenshot", 1}, {"dicom", 1},
                          {"thumbnail", 1}, {"fluorescence", 0.5}, {"frame", 0.5}, {"visual", 0.5}, {"snapshot", 1},
                          {"fps", 0.5},  // a frame rate: frames are seen
                          {"grayscale", 1}, {"greyscale", 1}, {"rgb", 0.5}, {"monochrome", 0.5}, {"thermal", 0.5}}},
      {"input", "video", {{"video", 1.5}, {"footage", 1.5}, {"clip", 0.5}, {"film", 1}, {"filmed", 1}, {"filming", 1},
                          {"cctv", 1.5}, {"dashcam", 1.5}, {"broadcast", 1}, {"livestream", 1}, {"webcam", 1},
                          {"frame by frame", 1}, {"gif", 1}, {"match video", 1}, {"camera feed", 1}, {"stream", 0.5}}},
      // A voice note is a recording, whatever app it came through (before "voice": longer cues first).
      {"input", "audio", {{"voice note", 2}, {"voice message", 2}, {"voice memo", 2}, {"voicemail", 2},
                          // Commands spoken to a device, and the person giving a talk ("the lecture" may be its text).
                          {"voice control", 2}, {"voice command", 2}, {"spoken command", 2}, {"lecturer", 1},
                          // What someone says to the device ("when I say 'play some jazz'", "she says 'louder'").
                          {"i say", 1}, {"she say", 1}, {"he say", 1}, {"user say", 1}, {"you say", 1}, {"they say", 1}, {"we say", 1},
                          {"audio", 1.5}, {"sound", 1}, {"speech", 1}, {"voice", 1}, {"spoken", 1}, {"recording", 1},
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
                         {"written", 0.5}, {"prompt", 0.5}, {"title", 1}, {"story", 0.5},
                         // A language model reads text, whatever the records it is given are about.
                         {"language model", 1},
                         {"description", 1},  // a transaction's or a product's description is its text
                         // What customers write in: their feedback, enquiries. "Feedback" alone is no cue:
                         // an app's feedback to its user ("so that I receive correct feedback") is no input.
                         {"customer feedback", 1}, {"user feedback", 1}, {"enquiry", 1}, {"inquiry", 1}}},
      {"input", "tabular", {{"spreadsheet", 1.5}, {"csv", 1.5}, {"table", 1}, {"tabular", 1.5}, {"column", 1.5}, {"row", 1},
                            {"record", 0.5}, {"crm", 1}, {"excel", 0.5}, {"database", 0.5}, {"feature", 0.5},
                            {"attribute", 0.5}, {"variable", 1}, {"anonymised", 0.5}, {"numeric", 0.5}, {"field", 0.5},
                            // A ledger's rows: each transaction is a record of amount, parties and time.
                            {"transaction", 1},
                            // Measured profiles: one column per gene or protein.
                            {"gene", 1}, {"rna-seq", 1.5}, {"profile", 0.5}}},
      {"input", "series", {{"time series", 1.5}, {"timeseries", 1.5}, {"sensor", 1}, {"reading", 0.5}, {"meter", 1}, {"hourly", 1},
                           {"daily", 0.5}, {"history", 1}, {"historical", 1}, {"telemetry", 1}, {"metric", 0.5}, {"signal", 0.5},
                           {"ecg", 1}, {"eeg", 1}, {"accelerometer", 1}, {"gyroscope", 1}, {"imu", 1}, {"vibration", 1}, {"demand", 1},
                           {"consumption", 1}, {"stock price", 1}, {"trend", 0.5}, {"log", 0.5}, {"page view", 1}}},
      {"input", "graph", {{"graph", 1.5}, {"node", 1}, {"edge", 0.5}, {"molecule", 1.5}, {"molecular", 1.5}, {"atom", 1},
                          {"bond", 0.5}, {"citation network", 1.5}, {"social network", 1.5}, {"knowledge graph", 1.5},
                          {"protein structure", 1}}},
      {"input", "user-item", {{"user", 0.5}, {"customer", 0.5}, {"purchase", 1}, {"click", 1}, {"rating", 1}, {"basket", 1},
                              {"session", 0.5}, {"shopper", 1}, {"bought", 1}, {"watched", 1}}},
      // What comes out.
  };
  return g;
}

}  // namespace sml::describe::cues
