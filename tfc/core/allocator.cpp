#include "tfc/core/allocator.h"

#include <bit>
#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace tfc {
namespace {

constexpr std::size_t kAlign = 64;

struct Pool {
    std::mutex mu;
    std::unordered_map<std::size_t, std::vector<void*>> free_lists;
    AllocatorStats stats;
};

Pool& pool() {
    static Pool* p = new Pool();  // intentionally never destroyed: buffers may outlive statics
    return *p;
}

}  // namespace

// Size classes: multiples of 64 B up to 1 KiB, then 2^k * {1, 1.25, 1.5, 1.75} (waste <= 25%).
std::size_t buffer_size_class(std::size_t bytes) {
    if (bytes == 0) bytes = 1;
    if (bytes <= 1024) return (bytes + kAlign - 1) / kAlign * kAlign;
    std::size_t p = std::bit_floor(bytes);
    std::size_t step = p / 4;
    return (bytes + step - 1) / step * step;
}

void* buffer_allocate(std::size_t bytes) {
    std::size_t cls = buffer_size_class(bytes);
    Pool& p = pool();
    {
        std::lock_guard<std::mutex> lock(p.mu);
        auto it = p.free_lists.find(cls);
        if (it != p.free_lists.end() && !it->second.empty()) {
            void* ptr = it->second.back();
            it->second.pop_back();
            p.stats.bytes_cached -= cls;
            p.stats.bytes_in_use += cls;
            ++p.stats.reuses;
            return ptr;
        }
    }
    void* ptr = std::aligned_alloc(kAlign, cls);
    if (!ptr) throw std::bad_alloc();
    std::lock_guard<std::mutex> lock(p.mu);
    p.stats.bytes_in_use += cls;
    ++p.stats.os_allocations;
    return ptr;
}

void buffer_release(void* ptr, std::size_t bytes) {
    if (!ptr) return;
    std::size_t cls = buffer_size_class(bytes);
    Pool& p = pool();
    std::lock_guard<std::mutex> lock(p.mu);
    p.free_lists[cls].push_back(ptr);
    p.stats.bytes_in_use -= cls;
    p.stats.bytes_cached += cls;
}

AllocatorStats allocator_stats() {
    Pool& p = pool();
    std::lock_guard<std::mutex> lock(p.mu);
    return p.stats;
}

}  // namespace tfc
