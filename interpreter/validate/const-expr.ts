/**
 * Validation of constant expressions (spec "Validation > Instructions > Constant Expressions"):
 * only `t.const`, `ref.null`, `ref.func` and `global.get` of an immutable global are *constant*,
 * and the expression must leave exactly one value of the expected type.
 *
 * `visibleGlobals` is how many globals the expression may name: in Wasm 2.0 (and its test suite)
 * constant expressions only see the imported globals (the context `C'`).
 */
import { valTypeName, type ConstExpr, type ValType } from "../decode/module.js";
import { invalid, type ValidationContext } from "./context.js";

/** Validates `expr` against the result type `[expected]`. `where` names it in messages. */
export function validateConstExpr(c: ValidationContext, expr: ConstExpr, expected: ValType, visibleGlobals: number, where: string): void {
  const code = expr.code;
  let result = 0; // type of the value on the stack, 0 when empty
  let depth = 0; // values on the stack
  let pc = 0;
  const fail = (message: string): never => {
    throw invalid(message, where, expr.offset);
  };
  while (pc < code.length) {
    const op = code[pc];
    let t: number;
    switch (op) {
      case 0x41: t = 0x7f; pc += 2; break;
      case 0x42: t = 0x7e; pc += 3; break;
      case 0x43: t = 0x7d; pc += 2; break;
      case 0x44: t = 0x7c; pc += 3; break;
      case 0xfd00c: t = 0x7b; pc += 5; break; // v128.const
      case 0xd0: t = code[pc + 1]; pc += 2; break;
      case 0xd2: {
        const x = code[pc + 1] >>> 0;
        if (x >= c.funcTypeIndices.length) fail(`unknown function ${x}`);
        t = 0x70;
        pc += 2;
        break;
      }
      case 0x23: {
        const x = code[pc + 1] >>> 0;
        if (x >= visibleGlobals) fail(`unknown global ${x}`);
        if (c.globalMutable[x]) fail(`constant expression required: global.get ${x} reads a mutable global`);
        t = c.globalTypes[x];
        pc += 2;
        break;
      }
      case 0x0b:
        if (pc !== code.length - 1) fail("constant expression required");
        if (depth !== 1 || result !== expected) {
          fail(`type mismatch: constant expression must produce [${valTypeName(expected)}]${depth === 1 ? `, found [${valTypeName(result)}]` : `, found ${depth} values`}`);
        }
        return;
      default:
        fail(`constant expression required: opcode 0x${op.toString(16)} is not constant`);
        return;
    }
    depth++;
    result = t;
  }
  fail("constant expression required: missing end");
}
