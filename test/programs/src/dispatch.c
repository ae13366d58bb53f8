/*
 * Control flow: function pointers and vtables (call_indirect), dense switch tables (br_table) and
 * sparse switches, recursion, error paths without setjmp (error codes, goto cleanup, early
 * returns through several frames), a small bytecode interpreter, and a linked list on the heap.
 */
#include <stdlib.h>
#include <string.h>
#include "pf_check.h"

/* vtables */
struct shape;
struct shape_vt {
  int64_t (*area)(const struct shape *);
  int (*sides)(const struct shape *);
  void (*scale)(struct shape *, int);
};
struct shape { const struct shape_vt *vt; int a, b; };
static int64_t rect_area(const struct shape *s) { return (int64_t)s->a * s->b; }
static int64_t tri_area(const struct shape *s) { return (int64_t)s->a * s->b / 2; }
static int64_t sq_area(const struct shape *s) { return (int64_t)s->a * s->a; }
static int four(const struct shape *s) { (void)s; return 4; }
static int three(const struct shape *s) { (void)s; return 3; }
static void scale_both(struct shape *s, int k) { s->a *= k; s->b *= k; }
static void scale_a(struct shape *s, int k) { s->a += k; }
static const struct shape_vt RECT = { rect_area, four, scale_both };
static const struct shape_vt TRI = { tri_area, three, scale_a };
static const struct shape_vt SQ = { sq_area, four, scale_a };

/* function pointers with different signatures */
typedef int32_t (*binop)(int32_t, int32_t);
static int32_t op_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static int32_t op_sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
static int32_t op_mul(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }
static int32_t op_xor(int32_t a, int32_t b) { return a ^ b; }
static int32_t op_shl(int32_t a, int32_t b) { return (int32_t)((uint32_t)a << (b & 31)); }
static int32_t op_div(int32_t a, int32_t b) { return b == 0 || (a == INT32_MIN && b == -1) ? 0 : a / b; }
static const binop OPS[] = { op_add, op_sub, op_mul, op_xor, op_shl, op_div };
typedef double (*unop_f)(double);
static double half(double x) { return x / 2; }
static double sq(double x) { return x * x; }
static double neg(double x) { return -x; }

/* dense switch: a br_table */
NOINLINE static int dense(int k) {
  switch (k) {
    case 0: return 11;
    case 1: return 27;
    case 2: return -3;
    case 3: return 99;
    case 4: return 1000;
    case 5: return 77;
    case 6: return 8;
    case 7: return 12345;
    case 8: return -77;
    case 9: return 4;
    case 10: return 5;
    case 11: return 6;
    default: return k * 2;
  }
}

/* sparse switch: compare chains or a search */
NOINLINE static int sparse(int k) {
  switch (k) {
    case -1000: return 1;
    case 7: return 2;
    case 64: return 3;
    case 1 << 20: return 4;
    case 99999: return 5;
    case 123: return 6;
    default: return 0;
  }
}

/* a bytecode interpreter: the switch in a loop */
enum { PUSH, ADD, MUL, DUP, SWAP, JNZ, DEC, HALT };
NOINLINE static int64_t vm(const int *code, int64_t arg) {
  int64_t st[32];
  int sp = 0, pc = 0;
  st[sp++] = arg;
  for (int steps = 0; steps < 100000; steps++) {
    switch (code[pc++]) {
      case PUSH: st[sp++] = code[pc++]; break;
      case ADD: sp--; st[sp - 1] += st[sp]; break;
      case MUL: sp--; st[sp - 1] *= st[sp]; break;
      case DUP: st[sp] = st[sp - 1]; sp++; break;
      case SWAP: { int64_t t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; break; }
      case JNZ: { int target = code[pc++]; if (st[sp - 1] != 0) pc = target; break; }
      case DEC: st[sp - 1]--; break;
      case HALT: return st[0] * 1000 + sp;
      default: return -1;
    }
  }
  return -2;
}

/* error paths without setjmp */
enum err { OK = 0, E_RANGE = 1, E_NOMEM = 2, E_PARSE = 3 };
static int parse_digit(char c, int *out) {
  if (c < '0' || c > '9') return E_PARSE;
  *out = c - '0';
  return OK;
}
static int parse_number(const char *s, int64_t *out) {
  int64_t v = 0;
  if (*s == 0) return E_PARSE;
  for (; *s; s++) {
    int d;
    int e = parse_digit(*s, &d);
    if (e != OK) return e;
    if (v > 100000000000LL) return E_RANGE;
    v = v * 10 + d;
  }
  *out = v;
  return OK;
}
NOINLINE static int process(const char *input, int64_t *sum) {
  int rc = OK;
  char *copy = malloc(strlen(input) + 1);
  int64_t *vals = NULL;
  if (copy == NULL) return E_NOMEM;
  strcpy(copy, input);
  vals = malloc(16 * sizeof *vals);
  if (vals == NULL) { rc = E_NOMEM; goto out_copy; }
  int n = 0;
  for (char *tok = strtok(copy, " "); tok != NULL; tok = strtok(NULL, " ")) {
    if (n == 16) { rc = E_RANGE; goto out_vals; }
    rc = parse_number(tok, &vals[n]);
    if (rc != OK) goto out_vals;
    n++;
  }
  for (int i = 0; i < n; i++) *sum += vals[i] * (i + 1);
out_vals:
  free(vals);
out_copy:
  free(copy);
  return rc;
}

static int ack(int m, int n) { return m == 0 ? n + 1 : n == 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1)); }
static uint64_t fib(int n) { return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2); }

struct node { int64_t v; struct node *next; };

int main(void) {
  struct shape shapes[12];
  const struct shape_vt *vts[] = { &RECT, &TRI, &SQ };
  for (int i = 0; i < 12; i++) { shapes[i].vt = vts[opaque(i) % 3]; shapes[i].a = i + 2; shapes[i].b = 3 * i + 1; }
  int64_t area = 0;
  for (int i = 0; i < 12; i++) {
    shapes[i].vt->scale(&shapes[i], opaque(i % 4 + 1));
    area += shapes[i].vt->area(&shapes[i]) * shapes[i].vt->sides(&shapes[i]);
  }
  pf_mix64((uint64_t)area);
  int32_t acc = 1;
  for (int i = 0; i < 60; i++) acc = OPS[opaque(i) % 6](acc, i * 2654435761u >> 7);
  pf_mix64((uint64_t)acc);
  unop_f fs[] = { half, sq, neg, sq };
  double x = 1.0009765625;
  for (int i = 0; i < 23; i++) x = fs[opaque(i) & 3](x);
  pf_mix(&x, sizeof x);
  pf_section("indirect");

  int64_t sw = 0;
  for (int k = -3; k < 20; k++) sw = sw * 7 + dense(opaque(k));
  const int probes[] = { -1000, 7, 64, 1 << 20, 99999, 123, 0, 8, -1 };
  for (int i = 0; i < 9; i++) sw = sw * 5 + sparse(opaque(probes[i]));
  pf_mix64((uint64_t)sw);
  /* factorial of 12 by a loop in bytecode: n=arg; acc=1; loop { acc*=n; n--; } */
  const int prog[] = { PUSH, 1, SWAP, DUP, JNZ, 7, HALT, SWAP, /* 8: */ DUP, PUSH, 0, ADD, SWAP, DUP, SWAP, HALT };
  pf_mix64((uint64_t)vm(prog, opaque(12)));
  const int loop[] = { PUSH, 0, SWAP, /* 3: */ DUP, PUSH, 3, MUL, SWAP, DEC, JNZ, 3, HALT };
  pf_mix64((uint64_t)vm(loop, opaque(20)));
  pf_section("switch");

  const char *inputs[] = { "1 2 3 4", "10 x 3", "", "99999999999999 1", "5 5 5 5 5 5 5 5 5 5 5 5 5 5 5 5 5", "42" };
  for (int i = 0; i < 6; i++) {
    int64_t sum = 0;
    int rc = process(inputs[opaque(i)], &sum);
    pf_mix64((uint64_t)rc * 1000003 + (uint64_t)sum);
    printf("input %d: rc %d sum %lld\n", i, rc, (long long)sum);
  }
  pf_section("errors");

  pf_mix64((uint64_t)ack(2, opaque(3)));
  pf_mix64(fib(opaque(22)));
  struct node *head = NULL;
  for (int i = 0; i < 200; i++) {
    struct node *nd = malloc(sizeof *nd);
    if (nd == NULL) return 2;
    nd->v = (int64_t)i * i - 77;
    nd->next = head;
    head = nd;
  }
  int64_t lsum = 0;
  while (head != NULL) {
    struct node *nx = head->next;
    lsum = lsum * 3 + head->v;
    free(head);
    head = nx;
  }
  pf_mix64((uint64_t)lsum);
  pf_section("recursion");
  return 0;
}
