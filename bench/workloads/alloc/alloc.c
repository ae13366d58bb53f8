/* alloc: allocation-heavy code through wasi-libc's malloc/free (dlmalloc): binary trees built and
 * freed depth by depth (the "binary-trees" shape), a chained hash map of malloc'd string keys with
 * inserts, lookups and deletes, and linked lists spliced and freed. Self-checks: node counts and
 * tree checksums match their closed forms, the map's size matches a model, every lookup finds what
 * was inserted. Returns a checksum. Everything is freed, so repeated calls reuse the heap. */
#include <stdlib.h>
#include <string.h>
#include "../common.h"

typedef struct tree { struct tree *l, *r; int32_t v; } tree;
static tree *make(int d, int32_t v) {
  tree *t = malloc(sizeof *t);
  CHECK(t != NULL);
  t->v = v;
  if (d > 0) { t->l = make(d - 1, 2 * v - 1); t->r = make(d - 1, 2 * v); } else t->l = t->r = NULL;
  return t;
}
static int32_t check(const tree *t) { return t->l == NULL ? t->v : t->v + check(t->l) - check(t->r); }
static int32_t count(const tree *t) { return t == NULL ? 0 : 1 + count(t->l) + count(t->r); }
static void drop(tree *t) { if (t != NULL) { drop(t->l); drop(t->r); free(t); } }

typedef struct entry { struct entry *next; char *key; uint32_t val; } entry;
#define BUCKETS 1024
static entry *map[BUCKETS];
static uint32_t hstr(const char *s) { uint32_t h = 2166136261u; while (*s) h = (h ^ (uint8_t)*s++) * 16777619u; return h; }
static void key_of(char *buf, uint32_t k) { /* variable-length key */
  int n = 0;
  buf[n++] = 'k';
  do { buf[n++] = (char)('a' + k % 23); k /= 23; } while (k != 0);
  buf[n] = 0;
}
static entry **find(const char *k) {
  entry **e = &map[hstr(k) % BUCKETS];
  while (*e != NULL && strcmp((*e)->key, k) != 0) e = &(*e)->next;
  return e;
}
static int put(uint32_t k, uint32_t v) {
  char buf[16];
  key_of(buf, k);
  entry **e = find(buf);
  if (*e != NULL) { (*e)->val = v; return 0; }
  entry *n = malloc(sizeof *n);
  n->key = malloc(strlen(buf) + 1);
  CHECK(n != NULL && n->key != NULL);
  strcpy(n->key, buf);
  n->val = v;
  n->next = NULL;
  *e = n;
  return 1;
}
static int del(uint32_t k) {
  char buf[16];
  key_of(buf, k);
  entry **e = find(buf);
  if (*e == NULL) return 0;
  entry *n = *e;
  *e = n->next;
  free(n->key);
  free(n);
  return 1;
}

typedef struct node { struct node *next; uint32_t v; } node;

EXPORT("bench") uint32_t bench(void) {
  uint32_t acc = 0;
  /* binary trees */
  const int maxd = 12;
  tree *longlived = make(maxd, 0);
  for (int d = 4; d <= maxd; d += 2) {
    int iters = 1 << (maxd - d + 2);
    int32_t sum = 0;
    for (int i = 1; i <= iters; i++) {
      tree *a = make(d, i), *b = make(d, -i);
      sum += check(a) + check(b);
      CHECK(count(a) == (1 << (d + 1)) - 1);
      drop(a);
      drop(b);
    }
    CHECK(sum == -2 * iters); /* check(make(d, v)) == v - 1 ... summed over +i and -i */
    acc = acc * 31 + (uint32_t)sum;
  }
  CHECK(check(longlived) == -1 && count(longlived) == (1 << (maxd + 1)) - 1);
  drop(longlived);
  /* hash map of string keys: model the live set with a bitmap */
  static uint8_t live[1 << 14];
  memset(live, 0, sizeof live);
  uint64_t s = 3;
  int32_t size = 0;
  for (int i = 0; i < 90000; i++) {
    uint64_t r = sm64(&s);
    uint32_t k = (uint32_t)(r % (1 << 14));
    if ((r >> 40) % 3 != 0) { int added = put(k, (uint32_t)i); CHECK(added == !live[k]); size += added; live[k] = 1; }
    else { int gone = del(k); CHECK(gone == live[k]); size -= gone; live[k] = 0; }
  }
  int32_t seen = 0;
  for (int b = 0; b < BUCKETS; b++) for (entry *e = map[b]; e != NULL; e = e->next) { seen++; acc += e->val ^ hstr(e->key); }
  CHECK(seen == size);
  for (uint32_t k = 0; k < (1 << 14); k++) CHECK(del(k) == live[k]);
  /* linked lists: build, split odd/even, reverse, splice, free */
  for (int round = 0; round < 30; round++) {
    node *head = NULL;
    for (uint32_t i = 0; i < 2000; i++) { node *n = malloc(sizeof *n); CHECK(n != NULL); n->v = i * 7 + (uint32_t)round; n->next = head; head = n; }
    node *odd = NULL, *even = NULL;
    while (head != NULL) { node *n = head; head = n->next; if (n->v & 1) { n->next = odd; odd = n; } else { n->next = even; even = n; } }
    node **tail = &odd;
    while (*tail != NULL) tail = &(*tail)->next;
    *tail = even;
    uint32_t n = 0, h = 0;
    for (node *p = odd; p != NULL;) { node *q = p->next; h = h * 31 + p->v; n++; free(p); p = q; }
    CHECK(n == 2000);
    acc ^= h;
  }
  return acc;
}
