// "Did you mean …": the known ids nearest to an unknown one, for messages.
#pragma once
#include <string>
#include <vector>

namespace sml {

std::size_t edit_distance(const std::string& a, const std::string& b);
// min(edit_distance(A, B), K + 1), in time proportional to K: for "is it a typo of" questions.
std::size_t edit_distance_within(const std::string& a, const std::string& b, std::size_t k);
// Edits where a swap of two neighbours is one ("keypionts" → keypoints): optimal string alignment.
std::size_t typo_distance(const std::string& a, const std::string& b);

// Up to MAX known ids closest to WANTED (substring matches first), comma-separated. Always names
// something, however far: for lists where any hint helps (node names of a model).
std::string nearest(const std::string& wanted, const std::vector<std::string>& known, std::size_t max = 3);

// Something a user may name: its id, other texts that name it too (aliases, a country's name) and
// how a suggestion shows it ("DE (Germany)"; the id when empty).
struct KnownId {
  std::string id;
  std::vector<std::string> names;
  std::string label;
};

// The known ids close to WANTED, best first, at most MAX; empty when nothing is close. Close means
// equal but for case and separators, every word of WANTED in the id (words match when equal or one
// edit apart: "jetson nano" → nvidia-jetson-orin-nano-8gb), a few edits from the whole id ("a1000"
// → a100), or, last, some of WANTED's words in it. "jetson nano" is never close to nvidia-a10.
std::vector<std::string> close_matches(const std::string& wanted, const std::vector<KnownId>& known, std::size_t max = 3);

// The message for an unknown id: "unknown WHAT 'X'; did you mean A, B? (HINT)", or
// "unknown WHAT 'X': no such WHAT (HINT)" when nothing is close.
std::string unknown_id_message(const std::string& what, const std::string& wanted, const std::vector<KnownId>& known,
                               const std::string& hint);

}  // namespace sml
