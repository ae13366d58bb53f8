//! bignum: i64 arithmetic: arbitrary-precision unsigned integers on 32-bit limbs with 64-bit
//! intermediate products (schoolbook multiplication, division by a small number, addition),
//! used to compute 4000! and Fibonacci(100000) (fast doubling), then a 64-bit PRNG and hash loop
//! (xoshiro256**, a 64-bit multiply-xorshift hash and a 64-bit modular multiplication by
//! shift-and-add). Self-checks: n! mod p and F(n) mod p computed with the big numbers (by repeated
//! division by p) equal the same values computed directly with u64 modular arithmetic, for
//! several primes p; (a*b) mod m by shift-and-add equals the u128 result. Returns a mix.

fn check(c: bool) {
    if !c {
        core::arch::wasm32::unreachable();
    }
}

#[derive(Clone, PartialEq)]
struct Big(Vec<u32>); // little-endian limbs, no trailing zeros

impl Big {
    fn from(v: u64) -> Big {
        let mut b = Big(vec![v as u32, (v >> 32) as u32]);
        b.trim();
        b
    }
    fn trim(&mut self) {
        while let Some(&0) = self.0.last() {
            self.0.pop();
        }
    }
    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for l in self.0.iter_mut() {
            let t = *l as u64 * m as u64 + carry;
            *l = t as u32;
            carry = t >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }
    fn add(&self, o: &Big) -> Big {
        let n = self.0.len().max(o.0.len());
        let mut r = Vec::with_capacity(n + 1);
        let mut carry = 0u64;
        for i in 0..n {
            let t = *self.0.get(i).unwrap_or(&0) as u64 + *o.0.get(i).unwrap_or(&0) as u64 + carry;
            r.push(t as u32);
            carry = t >> 32;
        }
        r.push(carry as u32);
        let mut b = Big(r);
        b.trim();
        b
    }
    /// self - o, requires self >= o
    fn sub(&self, o: &Big) -> Big {
        let mut r = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let mut t = self.0[i] as i64 - *o.0.get(i).unwrap_or(&0) as i64 - borrow;
            borrow = 0;
            if t < 0 {
                t += 1 << 32;
                borrow = 1;
            }
            r.push(t as u32);
        }
        check(borrow == 0);
        let mut b = Big(r);
        b.trim();
        b
    }
    fn mul(&self, o: &Big) -> Big {
        if self.0.is_empty() || o.0.is_empty() {
            return Big(vec![]);
        }
        let mut r = vec![0u32; self.0.len() + o.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in o.0.iter().enumerate() {
                let t = a as u64 * b as u64 + r[i + j] as u64 + carry;
                r[i + j] = t as u32;
                carry = t >> 32;
            }
            r[i + o.0.len()] = carry as u32;
        }
        let mut b = Big(r);
        b.trim();
        b
    }
    /// self mod p, p < 2^32, by long division from the top limb
    fn rem_small(&self, p: u32) -> u32 {
        let mut r = 0u64;
        for &l in self.0.iter().rev() {
            r = ((r << 32) | l as u64) % p as u64;
        }
        r as u32
    }
}

/// (F(n), F(n+1)) by fast doubling
fn fib(n: u32) -> (Big, Big) {
    if n == 0 {
        return (Big::from(0), Big::from(1));
    }
    let (a, b) = fib(n / 2);
    let two_b = b.add(&b);
    let c = a.mul(&two_b.sub(&a)); // F(2k) = F(k) * (2F(k+1) - F(k))
    let d = a.mul(&a).add(&b.mul(&b)); // F(2k+1) = F(k)^2 + F(k+1)^2
    if n % 2 == 0 {
        (c, d)
    } else {
        let e = c.add(&d);
        (d, e)
    }
}

fn mulmod_shift(mut a: u64, mut b: u64, m: u64) -> u64 {
    let mut r = 0u64;
    a %= m;
    while b != 0 {
        if b & 1 != 0 {
            r = if r >= m - a { r - (m - a) } else { r + a };
        }
        a = if a >= m - a { a - (m - a) } else { a + a };
        b >>= 1;
    }
    r
}

#[no_mangle]
pub extern "C" fn bench() -> u32 {
    let primes: [u32; 4] = [1_000_000_007, 998_244_353, 4_294_967_291, 65_521];
    // factorial
    let n = 4000u32;
    let mut f = Big::from(1);
    for k in 2..=n {
        f.mul_small(k);
    }
    let mut acc = f.0.len() as u32;
    for &p in primes.iter() {
        let mut direct = 1u64;
        for k in 2..=n as u64 {
            direct = direct * k % p as u64;
        }
        check(f.rem_small(p) as u64 == direct);
        acc = acc.wrapping_mul(31).wrapping_add(direct as u32);
    }
    // fibonacci
    let m = 100000u32;
    let (fm, fm1) = fib(m);
    for &p in primes.iter() {
        let (mut a, mut b) = (0u64, 1u64);
        for _ in 0..m {
            let t = (a + b) % p as u64;
            a = b;
            b = t;
        }
        check(fm.rem_small(p) as u64 == a && fm1.rem_small(p) as u64 == b);
        acc = acc.wrapping_mul(31).wrapping_add(a as u32);
    }
    // xoshiro256** + 64-bit hashing + shift-and-add modular multiplication
    let mut s = [0x0123456789ABCDEFu64, 0xFEDCBA9876543210, 0x0F1E2D3C4B5A6978, 0x8796A5B4C3D2E1F0];
    let mut h = 0u64;
    for i in 0..300_000u64 {
        let r = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        h = (h ^ r).wrapping_mul(0x9E3779B97F4A7C15);
        h ^= h >> 32;
        if i % 16 == 0 {
            let mm = (r >> 1) | 1;
            let a = h % mm;
            let want = (a as u128 * (i + 3) as u128 % mm as u128) as u64;
            check(mulmod_shift(a, i + 3, mm) == want);
            h = h.wrapping_add(want);
        }
    }
    acc ^ h as u32 ^ (h >> 32) as u32
}
