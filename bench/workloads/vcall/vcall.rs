//! vcall: indirect-call-heavy code: a pipeline of boxed trait objects (`dyn Stage`, eight
//! implementations, called through vtables), an expression tree evaluated through `dyn Expr`,
//! and a table of plain function pointers. Self-check: every result equals the same computation
//! done through a `match` on an enum (direct calls only). Returns a mix of the results.

fn check(c: bool) {
    if !c {
        core::arch::wasm32::unreachable();
    }
}

trait Stage {
    fn apply(&self, x: u32) -> u32;
    fn kind(&self) -> u8;
}
struct AddK(u32);
struct MulK(u32);
struct XorShift(u32);
struct RotL(u32);
struct Clamp(u32, u32);
struct Square;
struct Swap;
struct Fold(u32);
impl Stage for AddK { fn apply(&self, x: u32) -> u32 { x.wrapping_add(self.0) } fn kind(&self) -> u8 { 0 } }
impl Stage for MulK { fn apply(&self, x: u32) -> u32 { x.wrapping_mul(self.0) } fn kind(&self) -> u8 { 1 } }
impl Stage for XorShift { fn apply(&self, x: u32) -> u32 { x ^ (x >> self.0) } fn kind(&self) -> u8 { 2 } }
impl Stage for RotL { fn apply(&self, x: u32) -> u32 { x.rotate_left(self.0) } fn kind(&self) -> u8 { 3 } }
impl Stage for Clamp { fn apply(&self, x: u32) -> u32 { if x < self.0 { self.0 } else if x > self.1 { x - self.1 } else { x } } fn kind(&self) -> u8 { 4 } }
impl Stage for Square { fn apply(&self, x: u32) -> u32 { x.wrapping_mul(x) | 1 } fn kind(&self) -> u8 { 5 } }
impl Stage for Swap { fn apply(&self, x: u32) -> u32 { x.swap_bytes() } fn kind(&self) -> u8 { 6 } }
impl Stage for Fold { fn apply(&self, x: u32) -> u32 { (x & 0xffff) ^ (x >> 16).wrapping_mul(self.0) } fn kind(&self) -> u8 { 7 } }

#[derive(Clone, Copy)]
enum StageE { AddK(u32), MulK(u32), XorShift(u32), RotL(u32), Clamp(u32, u32), Square, Swap, Fold(u32) }
fn apply_e(s: StageE, x: u32) -> u32 {
    match s {
        StageE::AddK(k) => x.wrapping_add(k),
        StageE::MulK(k) => x.wrapping_mul(k),
        StageE::XorShift(k) => x ^ (x >> k),
        StageE::RotL(k) => x.rotate_left(k),
        StageE::Clamp(a, b) => if x < a { a } else if x > b { x - b } else { x },
        StageE::Square => x.wrapping_mul(x) | 1,
        StageE::Swap => x.swap_bytes(),
        StageE::Fold(k) => (x & 0xffff) ^ (x >> 16).wrapping_mul(k),
    }
}

trait Expr {
    fn eval(&self, env: &[i32]) -> i32;
}
struct Lit(i32);
struct Var(usize);
struct Bin { op: u8, l: Box<dyn Expr>, r: Box<dyn Expr> }
struct Cond { c: Box<dyn Expr>, t: Box<dyn Expr>, e: Box<dyn Expr> }
impl Expr for Lit { fn eval(&self, _: &[i32]) -> i32 { self.0 } }
impl Expr for Var { fn eval(&self, env: &[i32]) -> i32 { env[self.0] } }
impl Expr for Bin {
    fn eval(&self, env: &[i32]) -> i32 {
        let (a, b) = (self.l.eval(env), self.r.eval(env));
        match self.op { 0 => a.wrapping_add(b), 1 => a.wrapping_sub(b), 2 => a.wrapping_mul(b), _ => a ^ b }
    }
}
impl Expr for Cond { fn eval(&self, env: &[i32]) -> i32 { if self.c.eval(env) & 1 != 0 { self.t.eval(env) } else { self.e.eval(env) } } }

enum ExprE { Lit(i32), Var(usize), Bin(u8, Box<ExprE>, Box<ExprE>), Cond(Box<ExprE>, Box<ExprE>, Box<ExprE>) }
fn eval_e(e: &ExprE, env: &[i32]) -> i32 {
    match e {
        ExprE::Lit(v) => *v,
        ExprE::Var(i) => env[*i],
        ExprE::Bin(op, l, r) => {
            let (a, b) = (eval_e(l, env), eval_e(r, env));
            match op { 0 => a.wrapping_add(b), 1 => a.wrapping_sub(b), 2 => a.wrapping_mul(b), _ => a ^ b }
        }
        ExprE::Cond(c, t, f) => if eval_e(c, env) & 1 != 0 { eval_e(t, env) } else { eval_e(f, env) },
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn build(rng: &mut Rng, depth: u32) -> (Box<dyn Expr>, ExprE) {
    let r = rng.next();
    if depth == 0 || r % 8 == 0 {
        return if r & 16 != 0 { (Box::new(Lit((r >> 8) as i32 % 100)), ExprE::Lit((r >> 8) as i32 % 100)) } else { let v = ((r >> 8) % 8) as usize; (Box::new(Var(v)), ExprE::Var(v)) };
    }
    if r % 8 == 1 {
        let (c, ce) = build(rng, depth - 1);
        let (t, te) = build(rng, depth - 1);
        let (e, ee) = build(rng, depth - 1);
        return (Box::new(Cond { c, t, e }), ExprE::Cond(Box::new(ce), Box::new(te), Box::new(ee)));
    }
    let op = ((r >> 4) % 4) as u8;
    let (l, le) = build(rng, depth - 1);
    let (rr, re) = build(rng, depth - 1);
    (Box::new(Bin { op, l, r: rr }), ExprE::Bin(op, Box::new(le), Box::new(re)))
}

fn f0(x: u64) -> u64 { x.wrapping_mul(6364136223846793005).wrapping_add(1) }
fn f1(x: u64) -> u64 { x ^ (x >> 29) }
fn f2(x: u64) -> u64 { x.rotate_left(17) }
fn f3(x: u64) -> u64 { x.wrapping_add(0x9E3779B97F4A7C15) }

#[no_mangle]
pub extern "C" fn bench() -> u32 {
    let mut rng = Rng(0x2545F4914F6CDD1D);
    // 1. pipeline of 48 stages over 18,000 values
    let mut stages: Vec<Box<dyn Stage>> = Vec::new();
    let mut enums: Vec<StageE> = Vec::new();
    for _ in 0..48 {
        let r = rng.next();
        let k = (r >> 8) as u32;
        let (s, e): (Box<dyn Stage>, StageE) = match r % 8 {
            0 => (Box::new(AddK(k)), StageE::AddK(k)),
            1 => (Box::new(MulK(k | 1)), StageE::MulK(k | 1)),
            2 => (Box::new(XorShift(1 + k % 31)), StageE::XorShift(1 + k % 31)),
            3 => (Box::new(RotL(k % 32)), StageE::RotL(k % 32)),
            4 => (Box::new(Clamp(k % 1000, 0xF000_0000 | k)), StageE::Clamp(k % 1000, 0xF000_0000 | k)),
            5 => (Box::new(Square), StageE::Square),
            6 => (Box::new(Swap), StageE::Swap),
            _ => (Box::new(Fold(k)), StageE::Fold(k)),
        };
        check(s.kind() as u64 == r % 8);
        stages.push(s);
        enums.push(e);
    }
    let mut acc1 = 0u32;
    let mut acc2 = 0u32;
    for i in 0..18_000u32 {
        let mut x = i.wrapping_mul(2654435761);
        let mut y = x;
        for s in stages.iter() {
            x = s.apply(x);
        }
        for e in enums.iter() {
            y = apply_e(*e, y);
        }
        acc1 = acc1.wrapping_add(x);
        acc2 = acc2.wrapping_add(y);
    }
    check(acc1 == acc2);
    // 2. expression trees through dyn Expr
    let mut acc3 = 0i32;
    for t in 0..8 {
        let (tree, tree_e) = build(&mut rng, 11);
        let mut env = [0i32; 8];
        for i in 0..300 {
            for (k, v) in env.iter_mut().enumerate() {
                *v = (i * 7 + k as i32 * 13 + t) % 97;
            }
            let a = tree.eval(&env);
            check(a == eval_e(&tree_e, &env));
            acc3 = acc3.wrapping_mul(31).wrapping_add(a);
        }
    }
    // 3. function-pointer table
    let table: [fn(u64) -> u64; 4] = [f0, f1, f2, f3];
    let mut x = 1u64;
    let mut y = 1u64;
    for i in 0..240_000u64 {
        let k = ((x >> 60) ^ i) as usize & 3;
        x = table[k](x);
        y = match ((y >> 60) ^ i) as usize & 3 { 0 => f0(y), 1 => f1(y), 2 => f2(y), _ => f3(y) };
    }
    check(x == y);
    acc1 ^ (acc3 as u32) ^ (x as u32) ^ ((x >> 32) as u32)
}
