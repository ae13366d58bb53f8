/* Shared helpers of the C workloads (bench/workloads/<name>/<name>.c): a self-check that traps
 * (so a wrong engine fails loudly instead of printing a number), and a 64-bit PRNG. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H
#include <stdint.h>
#include <stddef.h>
#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)
#define EXPORT(name) __attribute__((export_name(name)))
/* splitmix64: deterministic input generation. */
static inline uint64_t sm64(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
#endif
