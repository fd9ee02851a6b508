// The nesting check that runs on raw JSON text before any parser (server
// bodies and the protocol codec both rely on it).
#include "salespider/shared/json_text.hpp"

#include <gtest/gtest.h>

#include <string>

using salespider::json_nests_deeper_than;

TEST(JsonText, DepthIsCountedOutsideStringsOnly) {
  EXPECT_FALSE(json_nests_deeper_than(R"({"a":[[1]]})", 3));
  EXPECT_TRUE(json_nests_deeper_than(R"({"a":[[[1]]]})", 3));
  EXPECT_FALSE(json_nests_deeper_than(R"({"a":"[[[[[[[[[[\"[[[["})", 1));
}

TEST(JsonText, ClosingBracketsLowerTheDepthAgain) {
  EXPECT_FALSE(json_nests_deeper_than("[[1],[2],[3],[[4]]]", 3));
  EXPECT_TRUE(json_nests_deeper_than("[[1],[2],[3],[[[4]]]]", 3));
}

TEST(JsonText, AMillionOpeningBracketsNeitherRecursesNorCrashes) {
  EXPECT_TRUE(json_nests_deeper_than(std::string(1000000, '['), 64));
}
