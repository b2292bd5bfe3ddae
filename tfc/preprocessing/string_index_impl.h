// Internal: a flat open-addressing map from strings to int64, for the tokenizers' hot loops
// (std::unordered_map's node chains cost a cache miss per lookup). Keys are owned; ids are the
// insertion order.
//
// Keys of up to 24 bytes are also kept packed (zero-padded), so a lookup of a short word compares
// at most three words without visiting the key's string.
// pack_padded() takes a key whose buffer can be read 24 bytes past its end (the tokenizer's token
// buffer), which avoids copying the key before packing it.
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
    static constexpr std::size_t kInline = 24;  // longest key stored in the slot
    static constexpr std::size_t kPad = kInline;  // readable bytes a padded key needs

    // The first 24 bytes of a key (zero-padded), its length, and its hash. Keys longer than 24
    // bytes hash all their bytes and are compared against keys_ as well.
    struct Packed {
        std::uint64_t w[3];
        std::uint64_t h;
        std::uint32_t len;

        static std::uint64_t load(const char* p, std::size_t off, std::size_t n) {
            if (off >= n) return 0;
            std::uint64_t v;
            std::memcpy(&v, p + off, 8);
            const std::size_t left = n - off;
            return left >= 8 ? v : v & ((std::uint64_t{1} << (8 * left)) - 1);
        }
        [[gnu::always_inline]] static Packed of(const char* p, std::size_t n) {
            Packed k;
            k.w[0] = load(p, 0, n);
            k.w[1] = load(p, 8, n);
            k.w[2] = load(p, 16, n);
            k.len = n > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<std::uint32_t>(n);
            if (n <= kInline) {
                std::uint64_t h = (k.w[0] ^ (n * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
                h = (h ^ (h >> 31) ^ k.w[1]) * 0x94D049BB133111EBull;
                h = (h ^ (h >> 29) ^ k.w[2]) * 0xBF58476D1CE4E5B9ull;
                k.h = h ^ (h >> 32);
            } else {
                k.h = hash_bytes(std::string_view(p, n));
            }
            return k;
        }
    };

    // The id of `key`, or -1.
    std::int64_t find(std::string_view key) const {
        char buf[kInline] = {};
        if (key.size() <= kInline) std::memcpy(buf, key.data(), key.size());
        return find_packed(key, Packed::of(key.size() <= kInline ? buf : key.data(), key.size()));
    }
    // The id of `key`, inserting it (with the next id) when absent.
    std::int64_t insert(std::string_view key) {
        char buf[kInline] = {};
        if (key.size() <= kInline) std::memcpy(buf, key.data(), key.size());
        return insert_packed(key,
                             Packed::of(key.size() <= kInline ? buf : key.data(), key.size()));
    }
    // Batched lookups: pack every key of a text, prefetch their slots, then find/insert each, so
    // the cache misses of a text's words overlap instead of queueing one after the other.
    // pack_padded needs p[0, n + kPad) readable (bytes past n are ignored).
    static Packed pack_padded(const char* p, std::size_t n) { return Packed::of(p, n); }
    void prefetch(const Packed& k) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[k.h & mask_]);
    }
    std::int64_t find_packed(std::string_view key, const Packed& k) const {
        if (keys_.empty()) return -1;
        for (std::size_t i = k.h & mask_;; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (s.id < 0) return -1;
            if (same(s, key, k)) return s.id;
        }
    }
    std::int64_t insert_packed(std::string_view key, const Packed& k) {
        if ((keys_.size() + 1) * 4 > slots_.size() * 3) grow();
        for (std::size_t i = k.h & mask_;; i = (i + 1) & mask_) {
            Slot& s = slots_[i];
            if (s.id < 0) {
                s.w0 = k.w[0];
                s.len = k.len;
                s.id = static_cast<std::int32_t>(keys_.size());
                entries_.push_back({k.w[1], k.w[2], k.h});
                keys_.emplace_back(key);
                return s.id;
            }
            if (same(s, key, k)) return s.id;
        }
    }

    // Room for n keys without growing.
    void reserve(std::size_t n) {
        std::size_t cap = slots_.empty() ? 1024 : slots_.size();
        while (n * 4 > cap * 3) cap *= 2;
        if (cap != slots_.size()) rehash(cap);
        keys_.reserve(n);
        entries_.reserve(n);
    }

    const std::string& key(std::int64_t id) const { return keys_[static_cast<std::size_t>(id)]; }
    std::size_t size() const { return keys_.size(); }
    void clear() {
        keys_.clear();
        entries_.clear();
        slots_.clear();
        mask_ = 0;
    }

  private:
    // The table holds 16-byte slots: the key's first 8 bytes, its length and its id. Most words
    // fit in 8 bytes, so a hit usually touches one slot and nothing else. The full packed keys
    // sit in entries_ in id order (words seen first are usually the frequent ones, so the
    // entries that longer lookups touch stay together in cache).
    struct Slot {
        std::uint64_t w0 = 0;
        std::uint32_t len = 0;
        std::int32_t id = -1;  // -1 = empty
    };
    struct Entry {
        std::uint64_t w1, w2;
        std::uint64_t h;  // the key's hash, for grow()
    };
    bool same(const Slot& s, std::string_view key, const Packed& k) const {
        if (s.w0 != k.w[0] || s.len != k.len) return false;
        if (k.len <= 8) return true;
        const Entry& e = entries_[static_cast<std::size_t>(s.id)];
        return e.w1 == k.w[1] && e.w2 == k.w[2] &&
               (k.len <= kInline || keys_[static_cast<std::size_t>(s.id)] == key);
    }

    void grow() { rehash(slots_.empty() ? 1024 : slots_.size() * 2); }
    void rehash(std::size_t cap) {  // cap: a power of two
        std::vector<Slot> old(cap);
        old.swap(slots_);
        mask_ = cap - 1;
        for (const Slot& o : old) {
            if (o.id < 0) continue;
            std::size_t i = entries_[static_cast<std::size_t>(o.id)].h & mask_;
            while (slots_[i].id >= 0) i = (i + 1) & mask_;
            slots_[i] = o;
        }
    }

    std::vector<std::string> keys_;
    std::vector<Entry> entries_;  // by id
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

}  // namespace tfc::preprocessing_detail
