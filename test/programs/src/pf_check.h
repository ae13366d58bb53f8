/*
 * Shared by the C programs of the corpus: an FNV-1a checksum printed per section, and values the
 * compiler cannot see through (so the stores and loads under test stay in the optimised code).
 */
#ifndef PF_CHECK_H
#define PF_CHECK_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

static uint64_t pf_hash = 1469598103934665603ULL;

static inline void pf_mix(const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  for (size_t i = 0; i < n; i++) {
    pf_hash ^= b[i];
    pf_hash *= 1099511628211ULL;
  }
}

static inline void pf_mix64(uint64_t v) { pf_mix(&v, sizeof v); }

/* Prints the running checksum after a section, so a difference names the section. */
static inline void pf_section(const char *name) { printf("%-12s %016llx\n", name, (unsigned long long)pf_hash); }

static volatile int pf_zero_v = 0;
/* x, but opaque to the optimiser. */
static inline int opaque(int x) { return x + pf_zero_v; }

#endif
