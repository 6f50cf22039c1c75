// The graph IR every tool works on: an ONNX model as read from its file, with weight payloads
// left where they are (in the mapped file or in external data files) until someone asks.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sml/graph/external_data.hpp"
#include "sml/graph/wire.hpp"

namespace sml::graph {

// ONNX TensorProto.DataType codes.
enum DType : int {
  kUndefined = 0, kFloat = 1, kUint8 = 2, kInt8 = 3, kUint16 = 4, kInt16 = 5, kInt32 = 6,
  kInt64 = 7, kString = 8, kBool = 9, kFloat16 = 10, kDouble = 11, kUint32 = 12, kUint64 = 13,
  kComplex64 = 14, kComplex128 = 15, kBfloat16 = 16, kFloat8E4M3FN = 17, kFloat8E4M3FNUZ = 18,
  kFloat8E5M2 = 19, kFloat8E5M2FNUZ = 20, kUint4 = 21, kInt4 = 22
};
// Bytes per element (4-bit types: 1, rounded up per element pair by callers); 0 when unknown.
double dtype_bytes(int dtype);
const char* dtype_name(int dtype);
bool dtype_is_float(int dtype);

// The bytes behind a model: a file read on demand or a buffer read from stdin, plus the folder
// that external-data paths are confined to (empty when the model came from stdin).
struct Source {
  std::string display_name;  // for messages
  std::string base_dir;
  std::unique_ptr<wire::ByteSource> bytes;
  // External data files, opened (confined) while the model is read and read from those
  // descriptors afterwards.
  std::shared_ptr<ExternalData> external;
};

// A stored tensor: its type and dims, and where its payload lies. Nothing is decoded on load.
struct Tensor {
  std::string name;
  int dtype = kUndefined;
  std::vector<std::int64_t> dims;
  bool has_raw = false;                 // raw_data present: [raw_offset, +raw_length) of the source
  std::size_t raw_offset = 0;
  std::size_t raw_length = 0;
  int typed_field = 0;                  // float_data=4, int32_data=5, int64_data=7, double_data=10, uint64_data=11
  std::size_t typed_offset = 0;         // packed payload of that field in the source
  std::size_t typed_length = 0;
  std::vector<std::uint64_t> typed_unpacked;  // the same field written unpacked (rare, small)
  std::string external_location;        // non-empty when the payload lives in an external file
  std::int64_t external_offset = 0;
  std::int64_t external_length = -1;
  std::shared_ptr<const Source> source;

  std::int64_t elements() const;        // product of dims (1 for a scalar)
  // The values as doubles, for constant folding of small tensors; nullopt past MAX_ELEMENTS or
  // when the payload cannot be decoded (strings, missing data).
  std::optional<std::vector<double>> values(std::int64_t max_elements) const;
};

struct Dim {
  std::int64_t value = -1;   // -1: unknown
  std::string param;         // symbolic name, when the model gives one
  bool known() const { return value >= 0; }
};

struct ValueInfo {
  std::string name;
  int elem_type = kUndefined;
  bool has_shape = false;    // false: rank unknown
  std::vector<Dim> dims;
};

struct Graph;

struct Attribute {
  enum Type { kUndefined = 0, kFloat = 1, kInt = 2, kString = 3, kTensor = 4, kGraph = 5,
              kFloats = 6, kInts = 7, kStrings = 8, kTensors = 9, kGraphs = 10,
              kSparseTensor = 11, kSparseTensors = 12, kTypeProto = 13, kTypeProtos = 14 };
  std::string name;
  int type = kUndefined;
  double f = 0;
  std::int64_t i = 0;
  std::string s;
  std::vector<double> floats;
  std::vector<std::int64_t> ints;
  std::vector<std::string> strings;
  std::vector<Tensor> tensors;                  // t (one) or tensors
  std::vector<std::shared_ptr<Graph>> graphs;   // g (one) or graphs
};

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;        // "" and "ai.onnx" are the default domain
  std::vector<std::string> inputs;   // "" marks an omitted optional input
  std::vector<std::string> outputs;
  std::vector<Attribute> attributes;

  const Attribute* attr(const std::string& name) const;
  std::int64_t attr_int(const std::string& name, std::int64_t fallback) const;
  double attr_float(const std::string& name, double fallback) const;
  std::string attr_string(const std::string& name, const std::string& fallback) const;
  std::vector<std::int64_t> attr_ints(const std::string& name) const;  // empty when absent
  bool has_input(std::size_t i) const { return i < inputs.size() && !inputs[i].empty(); }
  // "Conv 'name'" (or "Conv #index" when unnamed), for messages.
  std::string label() const;
};

struct Graph {
  std::string name;
  std::vector<Node> nodes;
  std::vector<Tensor> initializers;
  std::vector<ValueInfo> inputs;
  std::vector<ValueInfo> outputs;
  std::vector<ValueInfo> value_info;
};

// A model-local function (IR 8+): nodes whose (domain, op_type) match are expanded by callers.
struct Function {
  std::string name;
  std::string domain;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<std::string> attributes;
  std::vector<Node> nodes;
  std::map<std::string, std::int64_t> opsets;
};

struct Model {
  std::int64_t ir_version = 0;
  std::map<std::string, std::int64_t> opsets;   // domain ("" for ai.onnx) -> version
  std::string producer_name;
  std::string producer_version;
  std::vector<std::pair<std::string, std::string>> metadata;
  Graph graph;
  std::vector<Function> functions;
  std::shared_ptr<const Source> source;

  std::int64_t opset(const std::string& domain = "") const;  // 0 when not imported
};

bool is_default_domain(const std::string& domain);

// The model's local functions by (domain, name), built once per model and asked once per node: a
// scan over every function for every node costs nodes x functions string comparisons, which a
// function bomb within the reader's limits turns into millions (issue 20). The shape walk asks it
// once a node and tells its visitors (NodeEvent::container); a hash of domain and name, as an
// ordered map compared both strings of several entries on each of the 10^5 nodes of a bomb.
// It keeps views into the model, which must outlive it.
class FunctionIndex {
 public:
  explicit FunctionIndex(const Model& model);
  // The local function a node calls, or null.
  const Function* find(const Node& node) const;

 private:
  struct Hash {
    std::size_t operator()(const std::pair<std::string_view, std::string_view>& k) const noexcept;
  };
  std::unordered_map<std::pair<std::string_view, std::string_view>, const Function*, Hash> by_name_;
};

}  // namespace sml::graph
