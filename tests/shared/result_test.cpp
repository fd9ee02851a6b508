// Result<T>: carries a value or a typed error. Not tested here: what each
// domain function returns (their own test files do that).
#include "salespider/shared/result.hpp"

#include <gtest/gtest.h>

#include <string>

namespace salespider {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return make_error(Errc::invalid_argument, "odd: " + std::to_string(n));
  return n / 2;
}

TEST(Result, HoldsTheValueOnSuccess) {
  auto r = half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 4);
  EXPECT_EQ(r.code(), Errc::ok);
}

TEST(Result, HoldsTheTypedErrorAndContextOnFailure) {
  auto r = half(7);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Errc::invalid_argument);
  EXPECT_EQ(r.error().context, "odd: 7");
}

TEST(Result, VoidResultIsOkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  Status bad = make_error(Errc::overflow, "x");
  EXPECT_EQ(bad.code(), Errc::overflow);
}

// The till's store and the server's use cases pair the one template with
// error types of their own.
struct OtherError {
  int why = 0;
};

TEST(Result, TakesAnyErrorType) {
  BasicResult<int, OtherError> good = 3;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  BasicResult<int, OtherError> bad = OtherError{7};
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().why, 7);
  BasicResult<void, OtherError> done;
  EXPECT_TRUE(done.ok());
  BasicResult<void, OtherError> failed = OtherError{1};
  EXPECT_FALSE(failed);
}

TEST(Result, ErrorCodesHaveStableWireNames) {
  EXPECT_EQ(to_string(Errc::currency_mismatch), "currency_mismatch");
  EXPECT_EQ(to_string(Errc::unknown_op_kind), "unknown_op_kind");
  EXPECT_EQ(to_string(Errc::ok), "ok");
}

}  // namespace
}  // namespace salespider
