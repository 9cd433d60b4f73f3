// The network as a list of widths (common/model/network_shape.h): sizes derived
// from it against hand counts, and --layers parsing, good and bad.

#include <gtest/gtest.h>

#include "common/platform/errors.h"
#include "common/model/network_shape.h"
#include "common/model/parameters.h"

namespace mnistbench::test {
namespace {

TEST(NetworkShape, TheDefaultIsTheTutorialsNetwork) {
  const NetworkShape tutorial;
  EXPECT_EQ(tutorial.widths, (std::vector<int>{784, 10, 10}));
  EXPECT_EQ(tutorial.layers(), 2);
  EXPECT_EQ(tutorial.to_string(), "784,10,10");
  // W1 10x784 + b1 10 + W2 10x10 + b2 10.
  EXPECT_EQ(tutorial.parameter_count(), 7850u + 110u);
}

TEST(NetworkShape, SizesOfTwoHiddenLayers) {
  const NetworkShape s{{784, 32, 16, 10}};
  EXPECT_EQ(s.layers(), 3);
  EXPECT_EQ(s.inputs(), 784);
  EXPECT_EQ(s.outputs(), 10);
  EXPECT_EQ(s.fan_in(2), 32);
  EXPECT_EQ(s.fan_out(2), 16);
  EXPECT_EQ(s.weight_count(3), 160u);
  EXPECT_EQ(s.widest_output(), 32);
  // 784·32 + 32 + 32·16 + 16 + 16·10 + 10.
  EXPECT_EQ(s.parameter_count(), 25088u + 32u + 512u + 16u + 160u + 10u);
  // The flat block holds every parameter (and only padding besides).
  Parameters params(s);
  EXPECT_GE(params.all().size(), s.parameter_count());
  EXPECT_LT(params.all().size(), s.parameter_count() + 2 * 3 * 16);
}

TEST(NetworkShape, ParsesLayerLists) {
  EXPECT_EQ(parse_layers("784,10,10"), NetworkShape{});
  EXPECT_EQ(parse_layers("784,32,16,10").widths, (std::vector<int>{784, 32, 16, 10}));
  EXPECT_EQ(parse_layers("784,16,16,10").to_string(), "784,16,16,10");
  EXPECT_EQ(one_hidden_layer(784, 128, 10).to_string(), "784,128,10");
}

// One line naming --layers and the value, mentioning what is wrong.
void expect_refused(const std::string& text, const std::string& mentions) {
  try {
    parse_layers(text);
    ADD_FAILURE() << "--layers " << text << " was accepted";
  } catch (const UsageError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind("--layers: '" + text + "'", 0), 0u) << message;
    EXPECT_NE(message.find(mentions), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(NetworkShape, RefusesBadLayerLists) {
  expect_refused("784,10", "at least one hidden layer");
  expect_refused("784", "at least one hidden layer");
  expect_refused("", "not a whole number");
  expect_refused("784,,10", "not a whole number");
  expect_refused("784,10,10,", "not a whole number");
  expect_refused("784,x,10", "'x' is not a whole number");
  expect_refused("784,1.5,10", "not a whole number");
  expect_refused("784,0,10", "each width must be 1 to 16384");
  expect_refused("784,-3,10", "each width must be 1 to 16384");
  expect_refused("784,16385,10", "each width must be 1 to 16384");
  expect_refused("784,99999999999,10", "not a whole number");  // overflows int
}

}  // namespace
}  // namespace mnistbench::test
