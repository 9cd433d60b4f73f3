#pragma once
// The network as data: a list of layer widths, inputs first, outputs last.
// The tutorial's network is {784, 10, 10}: one hidden layer of 10 ReLU units
// and a 10-way softmax. Every size in the program (parameters, workspace,
// costs, file shapes) is derived from this list, so no layer count is written
// anywhere else.
//
// Layers are numbered from 1, as in the tutorial's W1, b1, W2, b2: layer l
// maps A(l-1) (m, width(l-1)) to Z(l) (m, width(l)), with A0 = X. Layers
// 1..L-1 are followed by ReLU, layer L by softmax.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mnistbench {

struct NetworkShape {
  std::vector<int> widths = {784, 10, 10};

  int inputs() const { return widths.front(); }
  int outputs() const { return widths.back(); }
  // L: the number of weight layers (hidden layers + 1).
  int layers() const { return int(widths.size()) - 1; }
  // Layer l (1..L) has W (fan_out, fan_in) and b (fan_out).
  int fan_in(int l) const { return widths[std::size_t(l) - 1]; }
  int fan_out(int l) const { return widths[std::size_t(l)]; }
  std::size_t weight_count(int l) const { return std::size_t(fan_out(l)) * fan_in(l); }
  std::size_t parameter_count() const;
  // The widest layer output: the size of the largest activation row.
  int widest_output() const;

  // "784,10,10": the --layers spelling.
  std::string to_string() const;
  bool operator==(const NetworkShape&) const = default;
};

// inputs, hidden widths, outputs: the shape for `--hidden H` is {784, H, 10}.
NetworkShape one_hidden_layer(int inputs, int hidden, int outputs);

// Parses a --layers value ("784,32,16,10"). Throws UsageError naming --layers
// for anything but at least three positive integers separated by commas, or a
// width above kMaxLayerWidth.
NetworkShape parse_layers(std::string_view text);

// Each layer's width is bounded so that sizes computed in int (m · width) and
// one layer's weights stay far from overflow and from this machine's memory.
inline constexpr int kMaxLayerWidth = 16384;

}  // namespace mnistbench
