//! fft: f64 and f32 numerics: an iterative radix-2 complex FFT (f64, size 4096, twiddles from
//! sin/cos computed here by a Taylor series, so no libm) run forward and inverse on several
//! signals, plus f32 4x4 transforms of a 20,000-vertex array. Self-checks: the inverse transform
//! restores the input within 1e-9, Parseval's identity holds within 1e-9 relative, a pure tone
//! puts its energy in the expected bin, and f32 rotations preserve vector lengths within 1e-4.
//! Returns the bits of checksums.

fn check(c: bool) {
    if !c {
        core::arch::wasm32::unreachable();
    }
}

const PI: f64 = 3.141592653589793;

/// sin on [-pi, pi] by range reduction to [-pi/2, pi/2] and a Taylor series
fn sin(x: f64) -> f64 {
    let mut x = x;
    while x > PI {
        x -= 2.0 * PI;
    }
    while x < -PI {
        x += 2.0 * PI;
    }
    if x > PI / 2.0 {
        x = PI - x;
    } else if x < -PI / 2.0 {
        x = -PI - x;
    }
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    let mut k = 1.0;
    while k < 30.0 {
        term *= -x2 / ((2.0 * k) * (2.0 * k + 1.0));
        sum += term;
        k += 1.0;
    }
    sum
}
fn cos(x: f64) -> f64 {
    sin(x + PI / 2.0)
}

struct Fft {
    n: usize,
    wr: Vec<f64>,
    wi: Vec<f64>,
}
impl Fft {
    fn new(n: usize) -> Fft {
        let mut wr = Vec::with_capacity(n / 2);
        let mut wi = Vec::with_capacity(n / 2);
        for k in 0..n / 2 {
            let a = -2.0 * PI * k as f64 / n as f64;
            wr.push(cos(a));
            wi.push(sin(a));
        }
        Fft { n, wr, wi }
    }
    fn run(&self, re: &mut [f64], im: &mut [f64], inverse: bool) {
        let n = self.n;
        let mut j = 0;
        for i in 1..n {
            let mut bit = n >> 1;
            while j & bit != 0 {
                j ^= bit;
                bit >>= 1;
            }
            j |= bit;
            if i < j {
                re.swap(i, j);
                im.swap(i, j);
            }
        }
        let sign = if inverse { -1.0 } else { 1.0 };
        let mut len = 2;
        while len <= n {
            let step = n / len;
            for start in (0..n).step_by(len) {
                for k in 0..len / 2 {
                    let (wr, wi) = (self.wr[k * step], sign * self.wi[k * step]);
                    let (a, b) = (start + k, start + k + len / 2);
                    let tr = re[b] * wr - im[b] * wi;
                    let ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
            len <<= 1;
        }
        if inverse {
            let s = 1.0 / n as f64;
            for i in 0..n {
                re[i] *= s;
                im[i] *= s;
            }
        }
    }
}

#[no_mangle]
pub extern "C" fn bench() -> u64 {
    let n = 4096;
    let fft = Fft::new(n);
    let mut seed = 0x1234_5678_9abc_def0u64;
    let mut acc = 0u64;
    for sig in 0..12 {
        let mut re = vec![0.0f64; n];
        let mut im = vec![0.0f64; n];
        for i in 0..n {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let noise = (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            re[i] = if sig == 0 { cos(2.0 * PI * 37.0 * i as f64 / n as f64) } else { noise + 0.25 * sin(2.0 * PI * (sig * 50) as f64 * i as f64 / n as f64) };
        }
        let (r0, i0) = (re.clone(), im.clone());
        let e_time: f64 = r0.iter().map(|x| x * x).sum();
        fft.run(&mut re, &mut im, false);
        let e_freq: f64 = re.iter().zip(im.iter()).map(|(a, b)| a * a + b * b).sum::<f64>() / n as f64;
        check(((e_time - e_freq) / e_time).abs() < 1e-9);
        if sig == 0 {
            let mag = |k: usize| (re[k] * re[k] + im[k] * im[k]).sqrt();
            check((mag(37) - n as f64 / 2.0).abs() < 1e-6 && mag(36) < 1e-6);
        }
        for k in (0..n).step_by(61) {
            acc = acc.rotate_left(5) ^ re[k].to_bits() ^ im[k].to_bits();
        }
        fft.run(&mut re, &mut im, true);
        for i in 0..n {
            check((re[i] - r0[i]).abs() < 1e-9 && (im[i] - i0[i]).abs() < 1e-9);
        }
    }
    // f32: rotate 20,000 vertices by a 4x4 matrix 4 times
    let nv = 20_000;
    let mut v: Vec<[f32; 4]> = (0..nv).map(|i| { let t = i as f32; [t * 0.001, 1.0 - t * 0.0005, 0.5, 1.0] }).collect();
    let (c, s) = (cos(0.3) as f32, sin(0.3) as f32);
    let m: [[f32; 4]; 4] = [[c, -s, 0.0, 0.1], [s, c, 0.0, -0.2], [0.0, 0.0, 1.0, 0.3], [0.0, 0.0, 0.0, 1.0]];
    let mut fsum = 0.0f32;
    for _ in 0..4 {
        for p in v.iter_mut() {
            let l0 = ((p[0] - 0.0) * (p[0] - 0.0) + (p[1] - 0.0) * (p[1] - 0.0)).sqrt();
            let mut q = [0.0f32; 4];
            for r in 0..4 {
                q[r] = m[r][0] * p[0] + m[r][1] * p[1] + m[r][2] * p[2] + m[r][3] * p[3];
            }
            // undo the translation to compare lengths of the rotated part
            let l1 = ((q[0] - 0.1) * (q[0] - 0.1) + (q[1] + 0.2) * (q[1] + 0.2)).sqrt();
            check((l1 - l0).abs() <= 1e-4 * (1.0 + l0));
            *p = q;
            fsum += q[0] * 0.5 + q[1] * 0.25 + q[2];
        }
    }
    acc ^ fsum.to_bits() as u64
}
