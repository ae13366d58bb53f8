//! Panics (index out of bounds at a computed index) after printing: Rust's panic on wasm32-wasi
//! writes its message to stderr and aborts with `unreachable`; both engines must agree on the
//! output, the trap and the memory at the trap.
fn main() {
    let v: Vec<u16> = (0..40u16).map(|i| i.wrapping_mul(2654)).collect();
    let mut sum: u64 = 0;
    for i in 0..40 {
        sum = sum.wrapping_mul(31).wrapping_add(v[i] as u64);
    }
    println!("sum {:x}", sum);
    let idx = (sum % 7) as usize + v.len();
    println!("reading index {}", idx);
    let x = v[idx];
    println!("not reached {}", x);
}
