/**
 * Evaluation of constant expressions (spec "Constant Expressions") during instantiation:
 * `*.const`, `ref.null`, `ref.func`, `global.get`, and the extended-const i32/i64 add/sub/mul.
 * The result is written as raw words plus a reference, like a global's value.
 */
import type { ConstExpr } from "../decode/module.js";
import type { InstanceRuntime } from "../runtime/instance.js";

/** A constant's value: `lo`/`hi` words for numbers, `ref` for references. */
export interface ConstValue {
  lo: number;
  hi: number;
  ref: unknown;
}

function add64(a: ConstValue, b: ConstValue, sign: 1 | -1): ConstValue {
  const x = (BigInt(a.hi) << 32n) | BigInt(a.lo >>> 0);
  const y = (BigInt(b.hi) << 32n) | BigInt(b.lo >>> 0);
  const r = BigInt.asIntN(64, sign === 1 ? x + y : x - y);
  return { lo: Number(BigInt.asIntN(32, r)), hi: Number(BigInt.asIntN(32, r >> 32n)), ref: null };
}

/** The reference `e` evaluates to in `inst`: element segments' entries (`ref.func x` without a stack). */
export function evalConstRef(inst: InstanceRuntime, e: ConstExpr): unknown {
  const code = e.code;
  if (code.length === 3 && code[0] === 0xd2 && code[2] === 0x0b) return inst.funcs[code[1]!];
  return evalConst(inst, e).ref;
}

/** Evaluates `e` in `inst` (globals and functions must already exist). */
export function evalConst(inst: InstanceRuntime, e: ConstExpr): ConstValue {
  const code = e.code;
  const stack: ConstValue[] = [];
  let pc = 0;
  for (;;) {
    const op = code[pc]!;
    switch (op) {
      case 0x0b:
        return stack.pop() ?? { lo: 0, hi: 0, ref: null };
      case 0x41: case 0x43:
        stack.push({ lo: code[pc + 1]!, hi: 0, ref: null });
        pc += 2;
        break;
      case 0x42: case 0x44:
        stack.push({ lo: code[pc + 1]!, hi: code[pc + 2]!, ref: null });
        pc += 3;
        break;
      case 0xfd00c: // v128.const: the four words in `ref` (where a v128 global keeps its value)
        stack.push({ lo: 0, hi: 0, ref: Int32Array.of(code[pc + 1]!, code[pc + 2]!, code[pc + 3]!, code[pc + 4]!) });
        pc += 5;
        break;
      case 0xd0:
        stack.push({ lo: 0, hi: 0, ref: null });
        pc += 2;
        break;
      case 0xd2:
        stack.push({ lo: 0, hi: 0, ref: inst.funcs[code[pc + 1]!] });
        pc += 2;
        break;
      case 0x23: {
        const g = inst.globals[code[pc + 1]!]!;
        // (a v128 global's words are copied: the new global must not share them)
        stack.push({ lo: g.w[0]!, hi: g.w[1]!, ref: g.ref instanceof Int32Array ? g.ref.slice() : g.ref });
        pc += 2;
        break;
      }
      case 0x6a: case 0x6b: case 0x6c: {
        const b = stack.pop()!, a = stack.pop()!;
        const lo = op === 0x6a ? (a.lo + b.lo) | 0 : op === 0x6b ? (a.lo - b.lo) | 0 : Math.imul(a.lo, b.lo);
        stack.push({ lo, hi: 0, ref: null });
        pc += 1;
        break;
      }
      case 0x7c: case 0x7d: {
        const b = stack.pop()!, a = stack.pop()!;
        stack.push(add64(a, b, op === 0x7c ? 1 : -1));
        pc += 1;
        break;
      }
      case 0x7e: {
        const b = stack.pop()!, a = stack.pop()!;
        const x = (BigInt(a.hi) << 32n) | BigInt(a.lo >>> 0), y = (BigInt(b.hi) << 32n) | BigInt(b.lo >>> 0);
        const r = BigInt.asIntN(64, x * y);
        stack.push({ lo: Number(BigInt.asIntN(32, r)), hi: Number(BigInt.asIntN(32, r >> 32n)), ref: null });
        pc += 1;
        break;
      }
      default:
        throw new Error(`constant expression: unexpected opcode 0x${op.toString(16)} (the validator should have rejected it)`);
    }
  }
}
