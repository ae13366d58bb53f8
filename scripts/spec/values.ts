/**
 * Spec-suite values (wast2json encoding) <-> RawValue, and the bit-exact comparison used by
 * `assert_return`. RawValue is the form of docs/architecture.md: i32 int32 number, i64 signed
 * bigint, f32 u32-bits number, f64 u64-bits bigint, references as JS values (`null` = null ref).
 * Floats are never turned into JS numbers here.
 */

/** A value as it appears in the wast2json JSON. */
export interface JsonValue {
  readonly type: string;
  readonly value?: string | readonly string[];
  readonly lane_type?: string;
}

/** A value crossing the harness/engine boundary without the JS API's conversions. */
export type RawValue = number | bigint | null | object | undefined | string | boolean | symbol;

/** Creates/reuses host objects for `ref.extern N` so that the same N gives the same object. */
export class HostRefs {
  private readonly refs = new Map<string, object>();
  get(n: string): object {
    let r = this.refs.get(n);
    if (r === undefined) {
      r = { hostRef: n };
      this.refs.set(n, r);
    }
    return r;
  }
}

/** Thrown for values the harness cannot express (reported as a skip with this reason). */
export class UnsupportedValue extends Error {}

/** Lane width in bits of a wast2json v128 lane type. */
const LANE_BITS: Readonly<Record<string, number>> = { i8: 8, i16: 16, i32: 32, i64: 64, f32: 32, f64: 64 };

/** A v128 argument (its lanes, as wast2json writes them) as an unsigned 128-bit bigint, lane 0 lowest. */
function v128FromLanes(v: JsonValue): bigint {
  const lanes = v.value as readonly string[];
  const bits = LANE_BITS[v.lane_type ?? ""];
  if (bits === undefined || lanes.length * bits !== 128) throw new UnsupportedValue(`v128 lanes of type ${String(v.lane_type)}`);
  let r = 0n;
  for (let i = lanes.length - 1; i >= 0; i--) r = (r << BigInt(bits)) | BigInt.asUintN(bits, BigInt(lanes[i]!));
  return r;
}

/** Lane `i` (of `bits` bits) of a v128 bigint. */
function laneOf(v: bigint, bits: number, i: number): bigint {
  return BigInt.asUintN(bits, v >> BigInt(bits * i));
}

/** Converts an argument value of the JSON to a RawValue. */
export function toRaw(v: JsonValue, hostRefs: HostRefs): RawValue {
  const s = v.value;
  if (v.type === "v128") return v128FromLanes(v);
  if (Array.isArray(s)) throw new UnsupportedValue(`${v.type} lanes`);
  switch (v.type) {
    case "i32":
      return Number(s) | 0;
    case "i64":
      return BigInt.asIntN(64, BigInt(s as string));
    case "f32":
      return Number(s) >>> 0;
    case "f64":
      return BigInt.asUintN(64, BigInt(s as string));
    case "funcref":
      if (s === "null") return null;
      throw new UnsupportedValue(`funcref argument ${String(s)}`);
    case "externref":
      if (s === "null") return null;
      return hostRefs.get(s as string);
    default:
      throw new UnsupportedValue(`value type ${v.type}`);
  }
}

/** True when `bits` (u32) is an f32 NaN. */
function isNaN32(bits: number): boolean {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x007fffff) !== 0;
}
function isNaN64(bits: bigint): boolean {
  return (bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (bits & 0x000fffffffffffffn) !== 0n;
}

/** Returns undefined if `got` matches `expected`, otherwise a short description of the mismatch. */
export function mismatch(expected: JsonValue, got: RawValue, hostRefs: HostRefs): string | undefined {
  const s = expected.value;
  if (expected.type === "v128") {
    // lane by lane, each lane with the rule of its scalar type (NaN classes included)
    if (typeof got !== "bigint") return `expected v128 bigint, got ${describe(got)}`;
    const lanes = s as readonly string[];
    const lt = expected.lane_type ?? "";
    const bits = LANE_BITS[lt];
    if (bits === undefined || !Array.isArray(lanes) || lanes.length * bits !== 128) throw new UnsupportedValue(`v128 result lanes of type ${lt}`);
    const g = BigInt.asUintN(128, got);
    for (let i = 0; i < lanes.length; i++) {
      const lane = laneOf(g, bits, i);
      let m: string | undefined;
      if (lt === "f32") m = mismatch({ type: "f32", value: lanes[i] }, Number(lane), hostRefs);
      else if (lt === "f64") m = mismatch({ type: "f64", value: lanes[i] }, lane, hostRefs);
      else {
        const e = BigInt.asUintN(bits, BigInt(lanes[i]!));
        if (e !== lane) m = `expected ${lt} ${e}, got ${lane}`;
      }
      if (m !== undefined) return `v128 lane ${i} (${lt}): ${m} (got 0x${g.toString(16).padStart(32, "0")})`;
    }
    return undefined;
  }
  if (Array.isArray(s)) throw new UnsupportedValue(`${expected.type} lanes`);
  switch (expected.type) {
    case "i32": {
      if (typeof got !== "number") return `expected i32, got ${describe(got)}`;
      return (got | 0) === (Number(s) | 0) ? undefined : `expected i32 ${Number(s) | 0}, got ${got | 0}`;
    }
    case "i64": {
      if (typeof got !== "bigint") return `expected i64 bigint, got ${describe(got)}`;
      const e = BigInt.asIntN(64, BigInt(s as string));
      return BigInt.asIntN(64, got) === e ? undefined : `expected i64 ${e}, got ${BigInt.asIntN(64, got)}`;
    }
    case "f32": {
      if (typeof got !== "number") return `expected f32 bits, got ${describe(got)}`;
      const g = got >>> 0;
      if (s === "nan:canonical") return isNaN32(g) && (g & 0x7fffffff) === 0x7fc00000 ? undefined : `expected f32 canonical NaN, got 0x${hex32(g)}`;
      if (s === "nan:arithmetic") return isNaN32(g) && (g & 0x00400000) !== 0 ? undefined : `expected f32 arithmetic NaN, got 0x${hex32(g)}`;
      const e = Number(s) >>> 0;
      return g === e ? undefined : `expected f32 0x${hex32(e)}, got 0x${hex32(g)}`;
    }
    case "f64": {
      if (typeof got !== "bigint") return `expected f64 bits bigint, got ${describe(got)}`;
      const g = BigInt.asUintN(64, got);
      if (s === "nan:canonical") return isNaN64(g) && (g & 0x7fffffffffffffffn) === 0x7ff8000000000000n ? undefined : `expected f64 canonical NaN, got 0x${g.toString(16)}`;
      if (s === "nan:arithmetic") return isNaN64(g) && (g & 0x0008000000000000n) !== 0n ? undefined : `expected f64 arithmetic NaN, got 0x${g.toString(16)}`;
      const e = BigInt.asUintN(64, BigInt(s as string));
      return g === e ? undefined : `expected f64 0x${e.toString(16)}, got 0x${g.toString(16)}`;
    }
    case "funcref":
      if (s === "null") return got === null ? undefined : `expected null funcref, got ${describe(got)}`;
      if (s === undefined) return got !== null && got !== undefined ? undefined : "expected a non-null funcref, got null";
      throw new UnsupportedValue(`funcref result ${String(s)}`);
    case "refnull": // (ref.null) in a 3.0 script: a null reference of any type
      if (s === "null") return got === null ? undefined : `expected a null reference, got ${describe(got)}`;
      throw new UnsupportedValue(`refnull result ${String(s)}`);
    case "externref":
      if (s === "null") return got === null ? undefined : `expected null externref, got ${describe(got)}`;
      if (s === undefined) return got !== null && got !== undefined ? undefined : "expected a non-null externref, got null";
      return got === hostRefs.get(s as string) ? undefined : `expected ref.extern ${s}, got ${describe(got)}`;
    default:
      throw new UnsupportedValue(`value type ${expected.type}`);
  }
}

function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}

/** Short printable description of any raw value. */
export function describe(v: RawValue): string {
  if (v === null) return "null";
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "object") {
    const r = (v as { hostRef?: unknown }).hostRef;
    return r === undefined ? "[object]" : `ref.extern ${String(r)}`;
  }
  if (typeof v === "function") return "[function]";
  return String(v);
}
