// A caching allocator for tensor buffers. Buffers are 64-byte aligned and rounded up to size
// classes; freed buffers go back to a per-class free list and are reused, never returned to the
// OS while the process runs (first-touching fresh pages costs ~12 us per 4 KiB page, which would
// dominate small training steps).
#pragma once

#include <cstddef>

namespace tfc {

struct AllocatorStats {
    std::size_t bytes_in_use = 0;     // handed out and not yet released
    std::size_t bytes_cached = 0;     // held in free lists
    std::size_t os_allocations = 0;   // times the allocator asked the OS for fresh memory
    std::size_t reuses = 0;           // times a cached buffer was handed out again
};

void* buffer_allocate(std::size_t bytes);
void buffer_release(void* ptr, std::size_t bytes);
std::size_t buffer_size_class(std::size_t bytes);
AllocatorStats allocator_stats();

}  // namespace tfc
