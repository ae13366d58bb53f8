/*
 * Traps (out-of-bounds store) after printing and after filling part of memory: both engines
 * must trap the same way with the same output and the same memory at the trap.
 */
#include <stdint.h>
#include <stdlib.h>
#include "pf_check.h"

NOINLINE static void wild_store(int64_t *p, int i) { p[i] = 77; }

int main(void) {
  int64_t *heap = malloc(4096);
  if (heap == NULL) return 1;
  for (int i = 0; i < 512; i++) wild_store(heap, opaque(i));
  pf_mix(heap, 4096);
  pf_section("before trap");
  fflush(stdout);
  wild_store(heap, opaque(0x7ffffff0 / 8)); /* about 2 GiB beyond the heap: out of bounds */
  printf("not reached\n");
  return 0;
}
