#pragma once
// A portable pseudo-random generator: xoshiro256** seeded through SplitMix64
// (both by Blackman and Vigna). Only integer arithmetic and exact float
// conversions are used, so a seed gives the same numbers with every compiler
// and standard library, which std:: distributions do not promise.

#include <cstdint>

namespace mnistbench {

class Random {
 public:
  // stream separates independent uses of one user seed (initialisation, the
  // train/dev split, the mini-batch order) so they do not share numbers.
  explicit Random(std::uint64_t seed, std::uint64_t stream = 0) {
    std::uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
    for (auto& word : state_) word = splitmix64(x);
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1): the top 24 bits, which a float holds exactly.
  float uniform() { return float(next_u64() >> 40) * 0x1p-24f; }

  // Uniform integer in [0, bound), without modulo bias (Lemire's method).
  std::uint64_t below(std::uint64_t bound) {
    for (;;) {
      std::uint64_t high = 0;
      const std::uint64_t low = multiply_wide(next_u64(), bound, high);
      if (low >= bound || low >= (0 - bound) % bound) return high;
    }
  }

 private:
  // The 128-bit product a·b: returns its low half and sets high. The same
  // bits with or without the compiler's 128-bit integers (not standard C++).
  static std::uint64_t multiply_wide(std::uint64_t a, std::uint64_t b, std::uint64_t& high) {
#if defined(__SIZEOF_INT128__)
    const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
    high = std::uint64_t(product >> 64);
    return std::uint64_t(product);
#else
    const std::uint64_t a_lo = a & 0xFFFFFFFFu, a_hi = a >> 32, b_lo = b & 0xFFFFFFFFu, b_hi = b >> 32;
    const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi;
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFu) + lo_hi;
    high = a_hi * b_hi + (hi_lo >> 32) + (cross >> 32);
    return (cross << 32) | (lo_lo & 0xFFFFFFFFu);
#endif
  }

  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  std::uint64_t state_[4];
};

// The streams of one seed, named where they are used.
enum RandomStream : std::uint64_t { kInitStream = 1, kSplitStream = 2, kShuffleStream = 3 };

}  // namespace mnistbench
