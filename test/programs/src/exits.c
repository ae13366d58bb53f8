/*
 * Ends through exit(5) called at the bottom of a 20-deep call chain, after output: proc_exit
 * thrown through every frame. The corpus compares exit code, output and memory on both engines.
 */
#include <stdlib.h>
#include "pf_check.h"

NOINLINE static void deep(int depth, int code) {
  if (depth == 0) {
    printf("exit from depth with %d\n", code);
    exit(code);
  }
  deep(depth - 1, code + (depth & pf_zero_v));
  printf("not reached\n");
}

int main(void) {
  pf_mix64(42);
  pf_section("start");
  deep(opaque(20), 5);
  printf("not reached either\n");
  return 0;
}
