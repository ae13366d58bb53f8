/**
 * Test helper (not a test): Node's own WebAssembly as the oracle for numeric semantics.
 * Builds one module from WAT (via the `wabt` package) that exports each float/conversion
 * instruction with floats crossing the JS boundary as *bits* (f32 as i32, f64 as i64), so NaN
 * payloads are never touched by JS, plus bit helpers shared by the numeric tests.
 */
import wabtInit from "wabt";

type F = "f32" | "f64";
type I = "i32" | "i64";
const bitsOf: Record<F, I> = { f32: "i32", f64: "i64" };

/** Unary float op `fT.op` taking and returning bits. */
function floatUn(t: F, op: string): string {
  const i = bitsOf[t];
  return `(func (export "${t}.${op}") (param ${i}) (result ${i}) (${i}.reinterpret_${t} (${t}.${op} (${t}.reinterpret_${i} (local.get 0)))))`;
}
/** Binary float op taking and returning bits. */
function floatBin(t: F, op: string): string {
  const i = bitsOf[t];
  return `(func (export "${t}.${op}") (param ${i} ${i}) (result ${i}) (${i}.reinterpret_${t} (${t}.${op} (${t}.reinterpret_${i} (local.get 0)) (${t}.reinterpret_${i} (local.get 1)))))`;
}
/** float -> int conversion (`op` is trunc_s, trunc_u, trunc_sat_s or trunc_sat_u), float as bits. */
function trunc(to: I, from: F, op: string): string {
  const i = bitsOf[from];
  const sign = op.slice(-1);
  const ins = `${to}.${op.slice(0, -2)}_${from}_${sign}`;
  return `(func (export "${ins}") (param ${i}) (result ${to}) (${ins} (${from}.reinterpret_${i} (local.get 0))))`;
}
/** int -> float conversion, result as bits. */
function convert(to: F, from: I, sign: "s" | "u"): string {
  const i = bitsOf[to];
  const ins = `${to}.convert_${from}_${sign}`;
  return `(func (export "${ins}") (param ${from}) (result ${i}) (${i}.reinterpret_${to} (${ins} (local.get 0))))`;
}

function moduleText(): string {
  const fs: string[] = [];
  for (const t of ["f32", "f64"] as const) {
    for (const op of ["nearest", "trunc", "ceil", "floor", "sqrt", "abs", "neg"]) fs.push(floatUn(t, op));
    for (const op of ["min", "max", "copysign", "add", "sub", "mul", "div"]) fs.push(floatBin(t, op));
  }
  for (const to of ["i32", "i64"] as const)
    for (const from of ["f32", "f64"] as const)
      for (const op of ["trunc_s", "trunc_u", "trunc_sat_s", "trunc_sat_u"]) fs.push(trunc(to, from, op));
  for (const to of ["f32", "f64"] as const)
    for (const from of ["i32", "i64"] as const) for (const sign of ["s", "u"] as const) fs.push(convert(to, from, sign));
  fs.push(`(func (export "f32.demote_f64") (param i64) (result i32) (i32.reinterpret_f32 (f32.demote_f64 (f64.reinterpret_i64 (local.get 0)))))`);
  return `(module ${fs.join("\n")})`;
}

/** The oracle's exports: every function takes and returns numbers (i32, f32 bits) or bigints (i64, f64 bits). */
export type Oracle = Record<string, (...args: (number | bigint)[]) => number | bigint>;

/** Compiles the oracle module with Node's WebAssembly. */
export async function loadOracle(): Promise<Oracle> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat("oracle.wat", moduleText(), { sat_float_to_int: true, sign_extension: true });
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const inst = await WebAssembly.instantiate(new WebAssembly.Module(new Uint8Array(buffer)));
  return inst.exports as unknown as Oracle;
}

const buf = new ArrayBuffer(8);
const f32v = new Float32Array(buf);
const f64v = new Float64Array(buf);
const i32v = new Int32Array(buf);
const u64v = new BigUint64Array(buf);
const i64v = new BigInt64Array(buf);

/** f32 bits (int32) -> the JS number (a signalling NaN may come back quieted; fine for arithmetic inputs). */
export function f32FromBits(bits: number): number {
  i32v[0] = bits;
  return f32v[0];
}
/** JS number -> f32 bits as int32 (rounds to f32 first). */
export function f32Bits(x: number): number {
  f32v[0] = x;
  return i32v[0];
}
/** f64 bits (signed or unsigned 64-bit bigint) -> number. */
export function f64FromBits(bits: bigint): number {
  u64v[0] = BigInt.asUintN(64, bits);
  return f64v[0];
}
/** JS number -> f64 bits as a signed bigint (the form Node's WebAssembly uses for i64). */
export function f64Bits(x: number): bigint {
  f64v[0] = x;
  return i64v[0];
}
/** An f32 bit pattern is a NaN. */
export function isNaN32(bits: number): boolean {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0;
}
/** An f32 bit pattern is an arithmetic NaN (quiet bit set). */
export function isArithNaN32(bits: number): boolean {
  return (bits & 0x7fc00000) === 0x7fc00000;
}
/** An f64 bit pattern is a NaN. */
export function isNaN64(bits: bigint): boolean {
  const u = BigInt.asUintN(64, bits);
  return (u & 0x7ff0000000000000n) === 0x7ff0000000000000n && (u & 0xfffffffffffffn) !== 0n;
}
/** An f64 bit pattern is an arithmetic NaN (quiet bit set). */
export function isArithNaN64(bits: bigint): boolean {
  return (BigInt.asUintN(64, bits) & 0x7ff8000000000000n) === 0x7ff8000000000000n;
}
