#include "tfc/core/shape.h"

#include <gtest/gtest.h>

#include "tfc/core/error.h"

namespace tfc {
namespace {

TEST(Shape, BroadcastRules) {
    EXPECT_EQ(broadcast_shapes({2, 3}, {3}, "t"), (Shape{2, 3}));
    EXPECT_EQ(broadcast_shapes({}, {4, 1}, "t"), (Shape{4, 1}));
    EXPECT_EQ(broadcast_shapes({4, 1}, {1, 5}, "t"), (Shape{4, 5}));
    EXPECT_EQ(broadcast_shapes({2, 1, 3}, {7, 1}, "t"), (Shape{2, 7, 3}));
    EXPECT_EQ(broadcast_shapes({0, 1}, {1, 3}, "t"), (Shape{0, 3}));
    EXPECT_EQ(broadcast_shapes({1}, {0}, "t"), (Shape{0}));
}

TEST(Shape, BroadcastErrorMessage) {
    try {
        broadcast_shapes({2, 3}, {2}, "my_op");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "[my_op] shapes do not broadcast. Got (2, 3) and (2,). Expected equal "
                     "dimensions or 1 in each position (NumPy broadcasting). Fix: reshape one "
                     "operand so its trailing dimensions match.");
    }
    EXPECT_THROW(broadcast_shapes({3, 2}, {2, 2}, "t"), Error);
}

TEST(Shape, Helpers) {
    EXPECT_EQ(num_elements({}), 1);
    EXPECT_EQ(num_elements({2, 0, 3}), 0);
    EXPECT_EQ(shape_str({-1, 28, 28}), "(None, 28, 28)");
    EXPECT_EQ(shape_str({5}), "(5,)");
    EXPECT_EQ(shape_str({}), "()");
    EXPECT_EQ(strides_of({2, 3, 4}), (std::vector<std::int64_t>{12, 4, 1}));
    EXPECT_EQ(normalize_axis(-1, 3, "t"), 2);
    EXPECT_EQ(normalize_axis(0, 3, "t"), 0);
    EXPECT_THROW(normalize_axis(3, 3, "t"), Error);
    EXPECT_THROW(normalize_axis(-4, 3, "t"), Error);
    EXPECT_THROW(normalize_axis(0, 0, "t"), Error);
}

}  // namespace
}  // namespace tfc
