//! json: generates two 150 KB JSON documents (nested objects and arrays, integers and decimals,
//! strings with escapes, raw multi-byte UTF-8 and `\u` escapes including surrogate pairs),
//! validates it with a UTF-8 validator written here (a state machine that rejects overlong forms,
//! surrogates and code points above U+10FFFF), parses it into a tree, serialises the tree and
//! parses that again. Self-checks: the validator agrees with `core::str::from_utf8` on the
//! document and on a list of invalid sequences, the round trip gives an equal tree, and the
//! counts of values match what the generator produced. Returns a checksum of the tree.
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Value>),
    Obj(BTreeMap<String, Value>),
}

fn check(c: bool) {
    if !c {
        core::arch::wasm32::unreachable();
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
}

/// Own UTF-8 validation (Unicode Table 3-7, well-formed byte sequences).
fn utf8_valid(b: &[u8]) -> bool {
    let mut i = 0;
    let n = b.len();
    while i < n {
        let c = b[i];
        if c < 0x80 {
            i += 1;
            continue;
        }
        let (len, lo, hi) = match c {
            0xC2..=0xDF => (2, 0x80, 0xBF),
            0xE0 => (3, 0xA0, 0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80, 0xBF),
            0xED => (3, 0x80, 0x9F),
            0xF0 => (4, 0x90, 0xBF),
            0xF1..=0xF3 => (4, 0x80, 0xBF),
            0xF4 => (4, 0x80, 0x8F),
            _ => return false,
        };
        if i + len > n || b[i + 1] < lo || b[i + 1] > hi {
            return false;
        }
        for k in 2..len {
            if b[i + k] & 0xC0 != 0x80 {
                return false;
            }
        }
        i += len;
    }
    true
}

const WORDS: [&str; 12] = ["alpha", "héllo", "日本語", "naïve", "line\nbreak", "tab\tq\"uote", "back\\slash", "€uro", "😀grin", "Ωmega", "plain", "ctl\u{1}x"];

struct Gen {
    rng: Rng,
    out: String,
    values: usize,
}
impl Gen {
    fn string(&mut self) {
        let r = self.rng.next();
        let w = WORDS[(r % 12) as usize];
        self.out.push('"');
        for ch in w.chars() {
            match ch {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\t' => self.out.push_str("\\t"),
                c if (c as u32) < 0x20 => self.out.push_str(&format!("\\u{:04x}", c as u32)),
                '😀' if r & 32 != 0 => self.out.push_str("\\ud83d\\ude00"),
                'é' if r & 64 != 0 => self.out.push_str("\\u00e9"),
                c => self.out.push(c),
            }
        }
        self.out.push_str(&format!("{}\"", r >> 54));
    }
    fn value(&mut self, depth: u32) {
        self.values += 1;
        let r = self.rng.next();
        let kind = if depth >= 5 { r % 5 } else { r % 7 };
        match kind {
            0 => self.out.push_str("null"),
            1 => self.out.push_str(if r & 256 != 0 { "true" } else { "false" }),
            2 => self.out.push_str(&format!("{}", (r >> 20) as i64 % 2000000 - 1000000)),
            3 => self.out.push_str(&format!("{}.{:03}", (r >> 24) % 100000, (r >> 8) % 1000)),
            4 => self.string(),
            5 => {
                let n = 1 + (r >> 32) % 6;
                self.out.push('[');
                for i in 0..n {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.value(depth + 1);
                }
                self.out.push(']');
            }
            _ => {
                let n = 1 + (r >> 32) % 6;
                self.out.push('{');
                for i in 0..n {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.out.push_str(&format!("\n{:width$}\"key{}_{}\": ", "", depth, i, width = depth as usize));
                    self.value(depth + 1);
                }
                self.out.push('}');
            }
        }
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    values: usize,
}
impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\n' | b'\r' | b'\t') {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) {
        self.ws();
        check(self.i < self.b.len() && self.b[self.i] == c);
        self.i += 1;
    }
    fn hex4(&mut self) -> u32 {
        let mut v = 0;
        for _ in 0..4 {
            let c = self.b[self.i];
            self.i += 1;
            v = v * 16
                + match c {
                    b'0'..=b'9' => (c - b'0') as u32,
                    b'a'..=b'f' => (c - b'a' + 10) as u32,
                    b'A'..=b'F' => (c - b'A' + 10) as u32,
                    _ => {
                        check(false);
                        0
                    }
                };
        }
        v
    }
    fn string(&mut self) -> String {
        self.eat(b'"');
        let mut s = String::new();
        loop {
            let c = self.b[self.i];
            self.i += 1;
            match c {
                b'"' => return s,
                b'\\' => {
                    let e = self.b[self.i];
                    self.i += 1;
                    match e {
                        b'n' => s.push('\n'),
                        b't' => s.push('\t'),
                        b'r' => s.push('\r'),
                        b'b' => s.push('\u{8}'),
                        b'f' => s.push('\u{c}'),
                        b'/' => s.push('/'),
                        b'\\' => s.push('\\'),
                        b'"' => s.push('"'),
                        b'u' => {
                            let mut cp = self.hex4();
                            if (0xD800..0xDC00).contains(&cp) {
                                check(self.b[self.i] == b'\\' && self.b[self.i + 1] == b'u');
                                self.i += 2;
                                let lo = self.hex4();
                                check((0xDC00..0xE000).contains(&lo));
                                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            }
                            match char::from_u32(cp) {
                                Some(ch) => s.push(ch),
                                None => check(false),
                            }
                        }
                        _ => check(false),
                    }
                }
                _ => {
                    check(c >= 0x20);
                    // copy the whole UTF-8 sequence (the document was validated)
                    let start = self.i - 1;
                    let len = if c < 0x80 { 1 } else if c < 0xE0 { 2 } else if c < 0xF0 { 3 } else { 4 };
                    self.i = start + len;
                    s.push_str(core::str::from_utf8(&self.b[start..self.i]).unwrap_or_else(|_| {
                        check(false);
                        ""
                    }));
                }
            }
        }
    }
    fn number(&mut self) -> f64 {
        let neg = self.b[self.i] == b'-';
        if neg {
            self.i += 1;
        }
        let mut int: i64 = 0;
        while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
            int = int * 10 + (self.b[self.i] - b'0') as i64;
            self.i += 1;
        }
        let mut v = int as f64;
        if self.i < self.b.len() && self.b[self.i] == b'.' {
            self.i += 1;
            let mut frac: i64 = 0;
            let mut scale = 1i64;
            while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
                frac = frac * 10 + (self.b[self.i] - b'0') as i64;
                scale *= 10;
                self.i += 1;
            }
            v = (int * scale + frac) as f64 / scale as f64;
        }
        if neg {
            -v
        } else {
            v
        }
    }
    fn value(&mut self) -> Value {
        self.ws();
        self.values += 1;
        match self.b[self.i] {
            b'n' => {
                check(&self.b[self.i..self.i + 4] == b"null");
                self.i += 4;
                Value::Null
            }
            b't' => {
                self.i += 4;
                Value::Bool(true)
            }
            b'f' => {
                self.i += 5;
                Value::Bool(false)
            }
            b'"' => Value::Str(self.string()),
            b'[' => {
                self.i += 1;
                let mut v = Vec::new();
                self.ws();
                if self.b[self.i] == b']' {
                    self.i += 1;
                    return Value::Arr(v);
                }
                loop {
                    v.push(self.value());
                    self.ws();
                    let c = self.b[self.i];
                    self.i += 1;
                    if c == b']' {
                        return Value::Arr(v);
                    }
                    check(c == b',');
                }
            }
            b'{' => {
                self.i += 1;
                let mut m = BTreeMap::new();
                self.ws();
                if self.b[self.i] == b'}' {
                    self.i += 1;
                    return Value::Obj(m);
                }
                loop {
                    let k = self.string();
                    self.eat(b':');
                    let v = self.value();
                    m.insert(k, v);
                    self.ws();
                    let c = self.b[self.i];
                    self.i += 1;
                    if c == b'}' {
                        return Value::Obj(m);
                    }
                    check(c == b',');
                }
            }
            _ => Value::Num(self.number()),
        }
    }
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Num(n) => {
            // integers print exactly; decimals as integer part and 3 fraction digits
            if n.fract() == 0.0 {
                out.push_str(&format!("{}", *n as i64));
            } else {
                let neg = *n < 0.0;
                let milli = (n.abs() * 1000.0 + 0.5) as i64;
                out.push_str(&format!("{}{}.{:03}", if neg { "-" } else { "" }, milli / 1000, milli % 1000));
            }
        }
        Value::Str(s) => {
            out.push('"');
            for ch in s.chars() {
                match ch {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        Value::Arr(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        Value::Obj(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(&Value::Str(k.clone()), out);
                out.push(':');
                write(x, out);
            }
            out.push('}');
        }
    }
}

fn digest(v: &Value, h: &mut u32) {
    let mix = |h: &mut u32, x: u32| *h = (*h ^ x).wrapping_mul(16777619);
    match v {
        Value::Null => mix(h, 1),
        Value::Bool(b) => mix(h, 2 + *b as u32),
        Value::Num(n) => {
            let bits = n.to_bits();
            mix(h, bits as u32);
            mix(h, (bits >> 32) as u32);
        }
        Value::Str(s) => s.bytes().for_each(|c| mix(h, c as u32)),
        Value::Arr(a) => {
            mix(h, 5);
            a.iter().for_each(|x| digest(x, h));
        }
        Value::Obj(m) => {
            mix(h, 6);
            for (k, x) in m {
                k.bytes().for_each(|c| mix(h, c as u32));
                digest(x, h);
            }
        }
    }
}

#[no_mangle]
pub extern "C" fn bench() -> u32 {
    // validator against known-invalid sequences
    let bad: [&[u8]; 8] = [b"\xC0\xAF", b"\xE0\x80\xAF", b"\xED\xA0\x80", b"\xF4\x90\x80\x80", b"\xF8\x88\x80\x80\x80", b"\x80", b"\xE2\x82", b"a\xFFb"];
    for s in bad.iter() {
        check(!utf8_valid(s) && core::str::from_utf8(s).is_err());
    }
    let mut h: u32 = 2166136261;
    for round in 0..2u64 {
        let mut g = Gen { rng: Rng(1234 + round), out: String::new(), values: 0 };
        g.out.push('[');
        let mut first = true;
        while g.out.len() < 150_000 {
            if !first {
                g.out.push_str(",\n");
            }
            first = false;
            g.value(0);
        }
        g.out.push(']');
        let doc = g.out.into_bytes();
        check(utf8_valid(&doc) && core::str::from_utf8(&doc).is_ok());
        let mut p = Parser { b: &doc, i: 0, values: 0 };
        let v = p.value();
        p.ws();
        check(p.i == doc.len() && p.values == g.values + 1);
        let mut out = String::new();
        write(&v, &mut out);
        check(utf8_valid(out.as_bytes()));
        let mut p2 = Parser { b: out.as_bytes(), i: 0, values: 0 };
        let v2 = p2.value();
        check(v2 == v && p2.values == p.values);
        digest(&v, &mut h);
        h = h.wrapping_add(out.len() as u32);
    }
    h
}
