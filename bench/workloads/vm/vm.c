/* vm: a stack-based bytecode interpreter (switch dispatch, 20 opcodes, locals, calls) written for
 * this benchmark, running three guest programs assembled at run time: a prime count by trial
 * division, an iterative Collatz total, and recursive fib through CALL/RET. Self-check: each
 * result equals the same computation done directly in C. Returns a mix of the results. */
#include <string.h>
#include "../common.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, DIV, MOD, LT, LE, EQ, JMP, JZ, JNZ, DUP, POP, CALL, RET, INC, HALT };

typedef struct { int32_t code[512]; int n; } prog;
static void emit(prog *p, int32_t op) { p->code[p->n++] = op; }
static void emit2(prog *p, int32_t op, int32_t arg) { emit(p, op); emit(p, arg); }

#define STACK 4096
static int32_t stack[STACK];
typedef struct { int32_t ret, fp; } frame;
static frame frames[1024];

/* locals live at stack[fp + i]; CALL arg: target, nargs in code[pc+1] */
static int32_t run(const int32_t *code, int32_t nlocals) {
  int32_t pc = 0, sp = nlocals, fp = 0, depth = 0;
  for (int i = 0; i < nlocals; i++) stack[i] = 0;
  for (;;) {
    int32_t op = code[pc++];
    switch (op) {
      case PUSH: stack[sp++] = code[pc++]; break;
      case LOAD: stack[sp++] = stack[fp + code[pc++]]; break;
      case STORE: stack[fp + code[pc++]] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case DIV: sp--; CHECK(stack[sp] != 0); stack[sp - 1] /= stack[sp]; break;
      case MOD: sp--; CHECK(stack[sp] != 0); stack[sp - 1] %= stack[sp]; break;
      case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case LE: sp--; stack[sp - 1] = stack[sp - 1] <= stack[sp]; break;
      case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case JMP: pc = code[pc]; break;
      case JZ: pc = stack[--sp] == 0 ? code[pc] : pc + 1; break;
      case JNZ: pc = stack[--sp] != 0 ? code[pc] : pc + 1; break;
      case DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case POP: sp--; break;
      case INC: stack[fp + code[pc]]++; pc++; break;
      case CALL: {
        int32_t target = code[pc], nargs = code[pc + 1];
        CHECK(depth < 1024);
        frames[depth].ret = pc + 2;
        frames[depth].fp = fp;
        depth++;
        fp = sp - nargs;
        pc = target;
        break;
      }
      case RET: {
        int32_t v = stack[--sp];
        sp = fp;
        stack[sp++] = v;
        depth--;
        pc = frames[depth].ret;
        fp = frames[depth].fp;
        break;
      }
      case HALT: return stack[sp - 1];
      default: __builtin_trap();
    }
    CHECK(sp < STACK);
  }
}

/* primes below n: locals 0 = i, 1 = d, 2 = count, 3 = n */
static void asm_primes(prog *p, int32_t n) {
  p->n = 0;
  emit2(p, PUSH, n); emit2(p, STORE, 3);
  emit2(p, PUSH, 2); emit2(p, STORE, 0);
  int outer = p->n;
  emit2(p, LOAD, 0); emit2(p, LOAD, 3); emit(p, LT); emit2(p, JZ, 0); int patch_end = p->n - 1;
  emit2(p, PUSH, 2); emit2(p, STORE, 1);
  int inner = p->n;
  emit2(p, LOAD, 1); emit(p, DUP); emit(p, MUL); emit2(p, LOAD, 0); emit(p, LE); emit2(p, JZ, 0); int patch_prime = p->n - 1;
  emit2(p, LOAD, 0); emit2(p, LOAD, 1); emit(p, MOD); emit2(p, JZ, 0); int patch_next = p->n - 1;
  emit2(p, INC, 1); emit2(p, JMP, inner);
  p->code[patch_prime] = p->n;
  emit2(p, INC, 2);
  p->code[patch_next] = p->n;
  emit2(p, INC, 0); emit2(p, JMP, outer);
  p->code[patch_end] = p->n;
  emit2(p, LOAD, 2); emit(p, HALT);
}

/* sum over k < n of the Collatz step count of k+1: locals 0 = k, 1 = x, 2 = total, 3 = n */
static void asm_collatz(prog *p, int32_t n) {
  p->n = 0;
  emit2(p, PUSH, n); emit2(p, STORE, 3);
  int outer = p->n;
  emit2(p, LOAD, 0); emit2(p, LOAD, 3); emit(p, LT); emit2(p, JZ, 0); int patch_end = p->n - 1;
  emit2(p, LOAD, 0); emit2(p, PUSH, 1); emit(p, ADD); emit2(p, STORE, 1);
  int loop = p->n;
  emit2(p, LOAD, 1); emit2(p, PUSH, 1); emit(p, EQ); emit2(p, JNZ, 0); int patch_done = p->n - 1;
  emit2(p, INC, 2);
  emit2(p, LOAD, 1); emit2(p, PUSH, 2); emit(p, MOD); emit2(p, JZ, 0); int patch_even = p->n - 1;
  emit2(p, LOAD, 1); emit2(p, PUSH, 3); emit(p, MUL); emit2(p, PUSH, 1); emit(p, ADD); emit2(p, STORE, 1); emit2(p, JMP, loop);
  p->code[patch_even] = p->n;
  emit2(p, LOAD, 1); emit2(p, PUSH, 2); emit(p, DIV); emit2(p, STORE, 1); emit2(p, JMP, loop);
  p->code[patch_done] = p->n;
  emit2(p, INC, 0); emit2(p, JMP, outer);
  p->code[patch_end] = p->n;
  emit2(p, LOAD, 2); emit(p, HALT);
}

/* fib(n) recursive: main pushes n, calls f, halts; f(n) = n < 2 ? n : f(n-1) + f(n-2) */
static void asm_fib(prog *p, int32_t n) {
  p->n = 0;
  emit2(p, PUSH, n); emit(p, CALL); emit(p, 6); emit(p, 1); emit(p, HALT);
  CHECK(p->n == 6);
  emit2(p, LOAD, 0); emit2(p, PUSH, 2); emit(p, LT); emit2(p, JZ, 0); int patch = p->n - 1;
  emit2(p, LOAD, 0); emit(p, RET);
  p->code[patch] = p->n;
  emit2(p, LOAD, 0); emit2(p, PUSH, 1); emit(p, SUB); emit(p, CALL); emit(p, 6); emit(p, 1);
  emit2(p, LOAD, 0); emit2(p, PUSH, 2); emit(p, SUB); emit(p, CALL); emit(p, 6); emit(p, 1);
  emit(p, ADD); emit(p, RET);
}

static int32_t c_primes(int32_t n) { int32_t c = 0; for (int32_t i = 2; i < n; i++) { int32_t d = 2; for (; d * d <= i; d++) if (i % d == 0) break; c += d * d > i; } return c; }
static int32_t c_collatz(int32_t n) { int32_t t = 0; for (int32_t k = 0; k < n; k++) { int32_t x = k + 1; while (x != 1) { t++; x = x % 2 == 0 ? x / 2 : 3 * x + 1; } } return t; }
static int32_t c_fib(int32_t n) { int32_t a = 0, b = 1; for (int i = 0; i < n; i++) { int32_t t = a + b; a = b; b = t; } return a; }

EXPORT("bench") uint32_t bench(void) {
  static prog p;
  asm_primes(&p, 15000);
  int32_t r1 = run(p.code, 4);
  CHECK(r1 == c_primes(15000) && r1 == 1754);
  asm_collatz(&p, 3000);
  int32_t r2 = run(p.code, 4);
  CHECK(r2 == c_collatz(3000));
  asm_fib(&p, 18);
  int32_t r3 = run(p.code, 0);
  CHECK(r3 == c_fib(18) && r3 == 2584);
  return (uint32_t)r1 * 1000003u ^ (uint32_t)r2 * 31u ^ (uint32_t)r3;
}
