/**
 * Validation of constant expressions (spec "Validation > Instructions > Constant Expressions",
 * Wasm 3.0): `t.const`, `ref.null`, `ref.func`, `global.get` of an immutable global, and the
 * extended-constant `i32`/`i64` `add`, `sub`, `mul` are *constant*; the expression must leave
 * exactly one value whose type matches the expected one (`ref.func x` is `(ref $t)`, `$t` the
 * function's type).
 *
 * `visibleGlobals` is how many globals the expression may name: a global's initialiser sees the
 * globals before it (imported and defined), segment offsets and elements see them all (Wasm 3.0;
 * Wasm 2.0 allowed imported globals only).
 */
import { matchesValType } from "../decode/matching.js";
import { CONCRETE, refType, valTypeName, type ConstExpr, type ValType } from "../decode/module.js";
import { invalid, type ValidationContext } from "./context.js";

const I32 = 0x7f, I64 = 0x7e;

/** Validates `expr` against the result type `[expected]`. `where` names it in messages. */
export function validateConstExpr(c: ValidationContext, expr: ConstExpr, expected: ValType, visibleGlobals: number, where: string): void {
  const code = expr.code;
  if (code.length === 3 && code[0] === 0xd2 && code[2] === 0x0b) {
    // `ref.func x` alone (every element of a function-index segment): the same checks, no stack
    const x = code[1]! >>> 0;
    if (x >= c.funcTypeIndices.length) throw invalid(`unknown function ${x}`, where, expr.offset);
    const t = refType(false, c.funcTypeIndices[x]!);
    if (!matchesValType(t, expected, c.canon)) throw invalid(`type mismatch: constant expression must produce [${valTypeName(expected)}], found [${valTypeName(t)}]`, where, expr.offset);
    return;
  }
  const stack: number[] = []; // the operand types
  let pc = 0;
  const fail = (message: string): never => {
    throw invalid(message, where, expr.offset);
  };
  const binary = (t: number, name: string): void => {
    const b = stack.pop(), a = stack.pop();
    if (a !== t || b !== t) fail(`type mismatch: ${name} needs two ${valTypeName(t)} operands in a constant expression`);
    stack.push(t);
  };
  while (pc < code.length) {
    const op = code[pc];
    switch (op) {
      case 0x41: stack.push(I32); pc += 2; break;
      case 0x42: stack.push(I64); pc += 3; break;
      case 0x43: stack.push(0x7d); pc += 2; break;
      case 0x44: stack.push(0x7c); pc += 3; break;
      case 0xfd00c: stack.push(0x7b); pc += 5; break; // v128.const
      case 0xd0: {
        const t = code[pc + 1];
        if ((t & CONCRETE) !== 0 && t >>> 10 >= c.types.length) fail(`unknown type ${t >>> 10}`);
        stack.push(t);
        pc += 2;
        break;
      }
      case 0xd2: {
        const x = code[pc + 1] >>> 0;
        if (x >= c.funcTypeIndices.length) fail(`unknown function ${x}`);
        stack.push(refType(false, c.funcTypeIndices[x]));
        pc += 2;
        break;
      }
      case 0x23: {
        const x = code[pc + 1] >>> 0;
        if (x >= visibleGlobals) fail(`unknown global ${x}`);
        if (c.globalMutable[x]) fail(`constant expression required: global.get ${x} reads a mutable global`);
        stack.push(c.globalTypes[x]);
        pc += 2;
        break;
      }
      case 0x6a: binary(I32, "i32.add"); pc += 1; break;
      case 0x6b: binary(I32, "i32.sub"); pc += 1; break;
      case 0x6c: binary(I32, "i32.mul"); pc += 1; break;
      case 0x7c: binary(I64, "i64.add"); pc += 1; break;
      case 0x7d: binary(I64, "i64.sub"); pc += 1; break;
      case 0x7e: binary(I64, "i64.mul"); pc += 1; break;
      case 0x0b:
        if (pc !== code.length - 1) fail("constant expression required");
        if (stack.length !== 1 || !matchesValType(stack[0]!, expected, c.canon)) {
          fail(`type mismatch: constant expression must produce [${valTypeName(expected)}]${stack.length === 1 ? `, found [${valTypeName(stack[0]!)}]` : `, found ${stack.length} values`}`);
        }
        return;
      default:
        fail(`constant expression required: opcode 0x${op.toString(16)} is not constant`);
        return;
    }
  }
  fail("constant expression required: missing end");
}
