#include "tfc/core/allocator.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "tfc/core/tensor.h"

namespace tfc {
namespace {

TEST(Allocator, SizeClasses) {
    EXPECT_EQ(buffer_size_class(0), 64u);
    EXPECT_EQ(buffer_size_class(1), 64u);
    EXPECT_EQ(buffer_size_class(65), 128u);
    EXPECT_EQ(buffer_size_class(1024), 1024u);
    EXPECT_EQ(buffer_size_class(1025), 1280u);  // 1024 + 1024/4
    EXPECT_EQ(buffer_size_class(4096), 4096u);
    for (std::size_t b : {1u, 100u, 1000u, 5000u, 123457u, 10000000u}) {
        const std::size_t c = buffer_size_class(b);
        EXPECT_GE(c, b);
        EXPECT_EQ(c % 64, 0u);
        EXPECT_LE(c, b + b / 4 + 64);  // waste bounded by 25% (or one 64 B step)
    }
}

TEST(Allocator, FreedBuffersAreReused) {
    // An odd size so other tests are unlikely to have left buffers of this class behind.
    const std::size_t bytes = 3 * 1000 * 1000 + 17;
    void* warm = buffer_allocate(bytes);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(warm) % 64, 0u);
    buffer_release(warm, bytes);
    const AllocatorStats before = allocator_stats();
    for (int i = 0; i < 50; ++i) {
        void* p = buffer_allocate(bytes - (i % 7));  // same size class
        EXPECT_EQ(p, warm);
        buffer_release(p, bytes - (i % 7));
    }
    const AllocatorStats after = allocator_stats();
    EXPECT_EQ(after.os_allocations, before.os_allocations);
    EXPECT_GE(after.reuses, before.reuses + 50);
    EXPECT_EQ(after.bytes_in_use, before.bytes_in_use);
}

TEST(Allocator, TensorsUseTheCache) {
    { Tensor warm = Tensor::zeros({1234, 567}); }
    const AllocatorStats before = allocator_stats();
    for (int i = 0; i < 20; ++i) {
        Tensor t = Tensor::zeros({1234, 567});
        t.data<float>()[0] = 1.0f;
    }
    const AllocatorStats after = allocator_stats();
    EXPECT_EQ(after.os_allocations, before.os_allocations);
    EXPECT_GE(after.reuses, before.reuses + 20);
}

}  // namespace
}  // namespace tfc
