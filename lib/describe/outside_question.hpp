#pragma once
// Whether a statement asks the question of a law or signal-processing kind itself (outside_question.cpp).
#include <string>

namespace sml::describe {

// The out-of-scope kinds "law" and "signal-processing" (catalog/out-of-scope.yaml) decline a
// request only when TEXT asks their question itself: what a law requires ("does X comply with the
// GDPR?", "is it legal", "legal basis", "what must we do under HIPAA") or a DSP result as the
// deliverable ("compute the FFT ... and report its peak frequency", "show the harmonics"). Their
// words in a clause of context, preprocessing or contrast beside a learning request ("after a
// band-pass filter", "we apply a high-pass filter first", "Fourier transform features", "instead
// of a hand-tuned filter", "because of data protection") ask nothing of them. KIND is the kind's
// id; any other kind, and a statement that names nothing to learn, answers true (the kind's
// vocabulary alone decides, as before).
bool asks_outside_question(const std::string& kind, const std::string& text);

}  // namespace sml::describe
