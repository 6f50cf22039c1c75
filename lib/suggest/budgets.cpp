// Implied budgets: a deployment device with no stated latency still implies one. Someone who
// puts a model on a board, a phone or a laptop is waiting for its answer there; a service on a
// server answers a request someone waits for. The figures are the human response-time limits
// that usability work has used since 1968, not measurements of any model.
#include <algorithm>

#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {
namespace {

const char* kResponseTimes =
    "Nielsen, 'Usability Engineering' (1993), ch. 5, 'Response Times: The 3 Important Limits' (after Miller 1968 and "
    "Card et al. 1991): 1.0 s is about the limit for the user's flow of thought to stay uninterrupted; 10 s is about "
    "the limit for keeping the user's attention on the dialogue";

bool one_of(const std::string& v, std::initializer_list<const char*> list) {
  return std::any_of(list.begin(), list.end(), [&](const char* x) { return v == x; });
}

}  // namespace

// Speed is a stated priority: "latency" among the task's objectives ("real-time", "live", "fast"),
// not after "accuracy" ("accuracy matters far more than speed").
bool speed_first(const Task& task) {
  const auto& o = task.objectives;
  const auto lat = std::find(o.begin(), o.end(), "latency"), acc = std::find(o.begin(), o.end(), "accuracy");
  return lat != o.end() && lat < acc;
}

bool generates_text(const describe::Task& home) {
  return std::any_of(home.segments.begin(), home.segments.end(),
                     [](const describe::Segment& s) { return s.name == "decoding" || s.name == "sampling"; });
}

bool transcribes_speech(const describe::Task& home) {
  const auto& m = home.modalities;
  return !m.empty() && m.front() == "audio" && std::find(m.begin(), m.end(), "text") != m.end();
}

bool batch_job(const Task& task) {
  return std::find(task.objectives.begin(), task.objectives.end(), "batch") != task.objectives.end();
}

std::optional<ImpliedBudget> implied_latency_budget(const std::string& device_class, const Task& task, bool generates) {
  if (task.latency_s || task.throughput_fps) return std::nullopt;  // stated: nothing to imply
  // A batch job ("overnight", "a nightly run") has no one waiting for an answer: the human limits
  // below do not apply. What it must do is get through its load: the day's queries within the day,
  // one after another on the one serving device (a bound anyone can check: 86,400 s / queries).
  if (batch_job(task)) {
    if (!task.queries_per_day || *task.queries_per_day <= 0) return std::nullopt;
    return ImpliedBudget{86400.0 / *task.queries_per_day, "a batch job: the day's load within the day",
                         "no one waits for each answer (the task's objectives: batch), but " + fmt_num(*task.queries_per_day) +
                             " queries a day, served one after another on one device, must finish within the day: 86,400 s / " +
                             fmt_num(*task.queries_per_day)};
  }
  // A writer who asks for real-time or live answers asks for the first limit, not the second: an
  // answer that feels instantaneous, on the device or from a server.
  if (speed_first(task) && one_of(device_class, {"microcontroller", "edge-board", "edge-accelerator", "phone", "phone-soc", "mobile-soc",
                                                 "apple-soc", "laptop-cpu", "desktop-cpu", "desktop-gpu", "laptop-gpu", "server-cpu",
                                                 "datacenter-gpu", "datacenter-tpu"}))
    return ImpliedBudget{0.1, "live: speed is the task's stated priority",
                         std::string("the answer should feel instantaneous (0.1 s); ") + kResponseTimes +
                             "; 0.1 s is about the limit for the user to feel that the system reacts instantaneously; a model "
                             "that answers for a stretch of recorded audio is live when it keeps up with it (real-time factor "
                             "at most 1: its latency within the seconds of audio one query covers)",
                         true};
  // A summary, a translation or a caption is read as it is written, token by token: the person
  // waits for the whole text within the second limit, not the first (1 s for a 150-token summary
  // would rule out every summariser on a laptop).
  if (generates && one_of(device_class, {"microcontroller", "edge-board", "edge-accelerator", "phone", "phone-soc", "mobile-soc",
                                         "apple-soc", "laptop-cpu", "desktop-cpu", "desktop-gpu", "laptop-gpu"}))
    return ImpliedBudget{10.0, "a generated text, on the device",
                         std::string("a person reads the text as it is written and waits for all of it; ") + kResponseTimes};
  if (one_of(device_class, {"microcontroller", "edge-board", "edge-accelerator", "phone", "phone-soc", "mobile-soc", "apple-soc",
                            "laptop-cpu", "desktop-cpu", "desktop-gpu", "laptop-gpu"}))
    return ImpliedBudget{1.0, "interactive, on the device",
                         std::string("a person waits for the answer on the device; ") + kResponseTimes};
  if (one_of(device_class, {"server-cpu", "datacenter-gpu", "datacenter-tpu"}))
    return ImpliedBudget{10.0, "a request served from a server",
                         std::string("someone waits for each answer; batch jobs should say so (--latency-budget none); ") + kResponseTimes};
  return std::nullopt;
}

const char* kLiveCaptionSource =
    "Ofcom's guideline for live subtitles, at most 3 s behind the speech: Ofcom's first report on the quality of live "
    "subtitling, 30 April 2014, found broadcasters' median latency almost twice that (EPRA's summary, 12 May 2014)";

const char* kLiveStreamChunkSource =
    "less the 1 s chunk of audio a streaming recogniser waits for before it reads it (whisper_streaming's default "
    "--min-chunk-size, ufal/whisper_streaming whisper_online.py; Machacek et al., IJCNLP-AACL 2023 demo)";

const char* kMobileSetting =
    "the 'mobile setting' of image-model design: 224x224 input and under 600M multiply-adds (Zoph et al., 'Learning "
    "Transferable Architectures for Scalable Image Recognition', CVPR 2018; Liu et al., 'DARTS', ICLR 2019, sec. 3.3; "
    "MobileNetV2/V3, MnasNet and EfficientNet-B0 are designed to it)";

// A task with a frame rate is a camera stream; a segmentation network labels every pixel of the
// frames it is given (costing.cpp, stated_frame), so what it costs follows the camera's frame,
// not the 520x520 the catalogue's figures were measured at. Where the task names no size, the
// frame is the one the camera software usual on the device delivers unless asked for another.
// Only sourced defaults are listed: on a Jetson, jetson-inference (the guide the usual runtime
// cites) opens a camera at 1280x720; on an Android phone, CameraX's ImageAnalysis (the Jetpack
// camera library an app's analyser gets its frames from) selects 640x480. Other devices (an
// iPhone's capture preset depends on the camera; a Pi's depends on the tool) keep the
// catalogue's input until a default is sourced.
std::optional<ImpliedFrame> implied_frame_size(const hw::Device& device, const Task& task) {
  if (task.image_size_px || !task.throughput_fps) return std::nullopt;  // stated, or not a stream
  if (std::find(task.modalities.begin(), task.modalities.end(), "image") == task.modalities.end()) return std::nullopt;
  const std::string stream = "a camera stream (the task's " + fmt_num(*task.throughput_fps) + " frames/s) with no stated frame size, on " +
                             device.id + ": ";
  const std::string rest = ". Segmentation candidates are profiled at it (they label every pixel of the frame they are given); "
                           "classifiers and detectors keep their own input, which their preprocessing resizes every frame to. "
                           "State the frame size ('1280x720', '640x480 frames') to change it";
  auto starts = [&](const char* prefix) { return device.id.rfind(prefix, 0) == 0; };
  if (starts("nvidia-jetson"))
    return ImpliedFrame{{1280, 720},
                        stream + "jetson-inference opens a camera at 1280x720 unless told otherwise (dusty-nv/jetson-utils, "
                                 "camera/gstCamera.h, DefaultWidth/DefaultHeight); BDD100K's dashcam frames are 1280x720 as well (Yu et al., "
                                 "'BDD100K: A Diverse Driving Dataset for Heterogeneous Multitask Learning', CVPR 2020; the size as the "
                                 "dataset's users state it, not read in the paper)" + rest};
  if (starts("google-tensor") || starts("qualcomm-snapdragon"))  // the Android phone SoCs of the catalogue
    return ImpliedFrame{{640, 480},
                        stream + "an Android app's frames come from CameraX's ImageAnalysis, which selects 640x480 unless given "
                                 "a target resolution (androidx camera-core, ImageAnalysis.java, Builder.setTargetResolution: 'If not "
                                 "set, resolution of 640x480 will be selected to use in priority')" + rest};
  return std::nullopt;
}

std::optional<ImpliedBudget> implied_mac_budget(const hw::Device& device, const std::string& precision, const Task& task) {
  if (task.macs_max || device.peak(precision)) return std::nullopt;  // stated, or the latency itself can be estimated
  if (!one_of(device.device_class, {"phone-soc", "phone", "mobile-soc"})) return std::nullopt;
  if (std::find(task.modalities.begin(), task.modalities.end(), "image") == task.modalities.end()) return std::nullopt;
  return ImpliedBudget{600e6, "an image model on a phone whose speed is not published",
                       std::string(device.id) + " publishes no peak at " + precision + ", so latency cannot be estimated; " +
                           kMobileSetting};
}

}  // namespace sml::suggest
