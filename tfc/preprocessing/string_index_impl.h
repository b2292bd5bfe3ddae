// Internal: a flat open-addressing map from strings to int64, for the tokenizers' hot loops
// (std::unordered_map's node chains cost a cache miss per lookup). Keys are owned; ids are the
// insertion order.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace tfc::preprocessing_detail {

inline std::uint64_t hash_bytes(std::string_view s) {
    std::uint64_t h = 0x243F6A8885A308D3ull ^ (s.size() * 0x9E3779B97F4A7C15ull);
    const char* p = s.data();
    std::size_t n = s.size();
    while (n >= 8) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        h = (h ^ v) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    std::uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
    h *= 0x94D049BB133111EBull;
    return h ^ (h >> 32);
}

class StringIndex {
  public:
    // The id of `key`, or -1.
    std::int64_t find(std::string_view key) const {
        if (keys_.empty()) return -1;
        const std::uint64_t h = hash_bytes(key);
        const auto tag = static_cast<std::uint32_t>(h >> 32) | 1u;
        for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (s.tag == 0) return -1;
            if (s.tag == tag && keys_[s.id] == key) return s.id;
        }
    }
    // The id of `key`, inserting it (with the next id) when absent.
    std::int64_t insert(std::string_view key) {
        if ((keys_.size() + 1) * 4 > slots_.size() * 3) grow();
        const std::uint64_t h = hash_bytes(key);
        const auto tag = static_cast<std::uint32_t>(h >> 32) | 1u;
        for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
            Slot& s = slots_[i];
            if (s.tag == 0) {
                s.tag = tag;
                s.id = static_cast<std::int32_t>(keys_.size());
                keys_.emplace_back(key);
                return s.id;
            }
            if (s.tag == tag && keys_[s.id] == key) return s.id;
        }
    }
    const std::string& key(std::int64_t id) const { return keys_[static_cast<std::size_t>(id)]; }
    std::size_t size() const { return keys_.size(); }
    void clear() {
        keys_.clear();
        slots_.clear();
        mask_ = 0;
    }

  private:
    struct Slot {
        std::uint32_t tag = 0;  // 0 = empty
        std::int32_t id = 0;
    };
    void grow() {
        const std::size_t cap = slots_.empty() ? 1024 : slots_.size() * 2;
        slots_.assign(cap, Slot{});
        mask_ = cap - 1;
        for (std::size_t id = 0; id < keys_.size(); ++id) {
            const std::uint64_t h = hash_bytes(keys_[id]);
            std::size_t i = h & mask_;
            while (slots_[i].tag != 0) i = (i + 1) & mask_;
            slots_[i].tag = static_cast<std::uint32_t>(h >> 32) | 1u;
            slots_[i].id = static_cast<std::int32_t>(id);
        }
    }

    std::vector<std::string> keys_;
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

}  // namespace tfc::preprocessing_detail
