//! Rust on wasm32-wasi (std): vectors of every element width written with computed indexes,
//! slices, sorting, HashMap/BTreeMap, String formatting and parsing, trait objects (vtables),
//! match tables, closures, i128, checked/wrapping arithmetic and Result error paths. Prints an
//! FNV-1a checksum per section.
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// An optimisation barrier (std::hint::black_box is not stable in Debian's rustc 1.63).
#[inline(never)]
fn black_box<T: Copy>(x: T) -> T {
    unsafe { std::ptr::read_volatile(&x) }
}

struct Fnv(u64);
impl Fnv {
    fn mix(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(1099511628211);
        }
    }
    fn mix64(&mut self, v: u64) {
        self.mix(&v.to_le_bytes());
    }
    fn section(&self, name: &str) {
        println!("{:<12} {:016x}", name, self.0);
    }
}

macro_rules! exercise {
    ($h:expr, $t:ty, $n:expr, $seed:expr) => {{
        let n: usize = black_box($n);
        let mut a: Vec<$t> = (0..n).map(|i| (i as i64 * $seed as i64 - 40) as $t).collect();
        for i in (0..n).step_by(3) {
            a[black_box(i)] = 77 as $t;
        }
        for i in (1..n).step_by(5) {
            let x = a[i - 1];
            a[i] = (x as f64 + 8.0) as $t;
        }
        for k in 0..7usize {
            for j in 0..8usize {
                a[black_box(k * j + 1)] = (k as i64 - j as i64) as $t;
            }
        }
        for i in 0..n / 2 {
            a[n - 1 - i] = a[i];
        }
        for v in &a {
            $h.mix(&v.to_le_bytes());
        }
    }};
}

trait Shape {
    fn area(&self) -> f64;
    fn name(&self) -> &'static str;
}
struct Circle(f64);
struct Rect(f64, f64);
struct Tri(f64, f64, f64);
impl Shape for Circle {
    fn area(&self) -> f64 { 3.141592653589793 * self.0 * self.0 }
    fn name(&self) -> &'static str { "circle" }
}
impl Shape for Rect {
    fn area(&self) -> f64 { self.0 * self.1 }
    fn name(&self) -> &'static str { "rect" }
}
impl Shape for Tri {
    fn area(&self) -> f64 {
        let s = (self.0 + self.1 + self.2) / 2.0;
        (s * (s - self.0) * (s - self.1) * (s - self.2)).sqrt()
    }
    fn name(&self) -> &'static str { "tri" }
}

#[derive(Debug)]
enum ParseErr {
    Empty,
    Bad(char),
    Overflow,
}

fn parse(s: &str) -> Result<u32, ParseErr> {
    if s.is_empty() {
        return Err(ParseErr::Empty);
    }
    let mut v: u32 = 0;
    for c in s.chars() {
        let d = c.to_digit(10).ok_or(ParseErr::Bad(c))?;
        v = v.checked_mul(10).and_then(|v| v.checked_add(d)).ok_or(ParseErr::Overflow)?;
    }
    Ok(v)
}

fn classify(k: i32) -> u32 {
    match k {
        0 => 11,
        1 => 27,
        2 => 3,
        3 => 99,
        4 => 1000,
        5 => 77,
        6 => 8,
        7 => 12345,
        8..=10 => 5,
        -5..=-1 => 6,
        _ => (k as u32).wrapping_mul(2),
    }
}

fn main() {
    let mut h = Fnv(1469598103934665603);
    let seed: i32 = black_box(7);
    exercise!(h, i8, 64, seed);
    exercise!(h, u8, 64, seed);
    exercise!(h, i16, 64, seed);
    exercise!(h, u16, 64, seed);
    exercise!(h, i32, 64, seed);
    exercise!(h, u32, 64, seed);
    exercise!(h, i64, 64, seed);
    exercise!(h, u64, 64, seed);
    exercise!(h, f32, 64, seed);
    exercise!(h, f64, 64, seed);
    h.section("vectors");

    let mut words: Vec<String> = (0..50).map(|i| format!("w{}-{}", (i * 7919) % 101, i)).collect();
    words.sort();
    words.dedup_by_key(|w| w.len());
    let mut text = String::new();
    for w in &words {
        write!(text, "{}|", w).unwrap();
    }
    h.mix(text.as_bytes());
    let rev: String = text.chars().rev().collect();
    h.mix(rev.as_bytes());
    let mut ints: Vec<i64> = (0..300).map(|i: i64| (i * 2654435761) % 1000 - 500).collect();
    ints.sort_unstable_by(|a, b| b.cmp(a));
    for v in &ints {
        h.mix64(*v as u64);
    }
    h.section("strings");

    let mut hm: HashMap<u32, u64> = HashMap::new();
    let mut bt: BTreeMap<i64, String> = BTreeMap::new();
    for i in 0..500u32 {
        *hm.entry(i % 37).or_insert(0) += (i as u64) * 3;
        bt.insert((i as i64 * 7) % 113 - 50, format!("{:x}", i * i));
    }
    let mut keys: Vec<_> = hm.iter().map(|(k, v)| (*k, *v)).collect();
    keys.sort();
    for (k, v) in keys {
        h.mix64(k as u64 ^ v);
    }
    for (k, v) in &bt {
        h.mix64(*k as u64);
        h.mix(v.as_bytes());
    }
    h.section("maps");

    let shapes: Vec<Box<dyn Shape>> = (0..30)
        .map(|i| -> Box<dyn Shape> {
            match black_box(i) % 3 {
                0 => Box::new(Circle(i as f64 * 0.5)),
                1 => Box::new(Rect(i as f64, 2.5)),
                _ => Box::new(Tri(3.0 + i as f64, 4.0 + i as f64, 5.0 + i as f64)),
            }
        })
        .collect();
    let total: f64 = shapes.iter().map(|s| s.area()).sum();
    h.mix(&total.to_bits().to_le_bytes());
    for s in &shapes {
        h.mix(s.name().as_bytes());
    }
    let fs: [&dyn Fn(i64) -> i64; 4] = [&|x| x.wrapping_mul(3), &|x| x.wrapping_sub(17), &|x| x ^ 0x5555, &|x| x.rotate_left(9)];
    let mut x: i64 = 1;
    for i in 0..100 {
        x = fs[black_box(i) % 4](x);
    }
    h.mix64(x as u64);
    let mut m: u64 = 0;
    for k in -8..20 {
        m = m.wrapping_mul(31).wrapping_add(classify(black_box(k)) as u64);
    }
    h.mix64(m);
    h.section("dispatch");

    let mut acc: i128 = 1;
    let mut w: u64 = 0x9E3779B97F4A7C15;
    for i in 1..200i128 {
        acc = acc.wrapping_mul(i * 6364136223846793005).wrapping_add(i) ^ (acc >> 17);
        w = w.wrapping_mul(w | 1).rotate_right(i as u32 % 64) ^ (w / (i as u64 + 1));
        if let Some(v) = (w as u32).checked_add(0x8000_0000) {
            w ^= v as u64;
        }
    }
    h.mix(&acc.to_le_bytes());
    h.mix64(w);
    let inputs = ["123", "", "12a", "99999999999", "4294967295", "0"];
    for s in inputs.iter() {
        let r = parse(black_box(s));
        let line = format!("{:?}", r);
        println!("parse {:?}: {}", s, line);
        h.mix(line.as_bytes());
    }
    let fl: f32 = black_box(1.0e-3);
    let text = format!("{} {:.3} {:e} {} {}", fl, fl as f64 * 1e10, 12345.678f64, f64::MAX, -0.0f32);
    println!("{}", text);
    h.mix(text.as_bytes());
    h.section("numeric");
}
