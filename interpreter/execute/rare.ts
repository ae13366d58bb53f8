/**
 * The rare ops of the dispatch loop, kept out of `loop.ts` so that the loop function stays small:
 * V8 optimises a smaller function sooner and compiles it faster (faster warm-up), and the hot
 * cases keep their registers. Here: references, i64 signed division/remainder, rotations and bit
 * counts, float min/max/rounding, conversions that call numeric/ helpers, `memory.grow`, bulk
 * memory and table operations, NaN canonicalisation, raising exceptions (`throw`, `throw_ref`),
 * memories other than 0 (multi-memory) and 64-bit memories and tables (memory64, table64),
 * the null checks of typed function references (`call_ref`'s target, `ref.as_non_null`).
 *
 * Called from the loop's `default:` case with every loop register saved in `ctx` (`ctx.pc` at
 * this op), so any trap may simply be thrown. Returns the pc of the next op; may change
 * `ctx.fuel` (per-unit costs), `ctx.steps` (bulk ops count as check points) and the memory's
 * views (`memory.grow`), which the loop re-reads. The loop charges the next block after the ops
 * that end one (`BLOCK_END`).
 */
import { RuntimeError } from "../errors.js";
import { f32ConvertI64S, f32ConvertI64U, f32DemoteF64, f64ConvertI64S, f64ConvertI64U, i32TruncF32S, i32TruncF32U, i32TruncF64S, i32TruncF64U, i32TruncSatF32S, i32TruncSatF32U, i32TruncSatF64S, i32TruncSatF64U, i64TruncF32S, i64TruncF32U, i64TruncF64S, i64TruncF64U, i64TruncSatF32S, i64TruncSatF32U, i64TruncSatF64S, i64TruncSatF64U } from "../numeric/convert.js";
import { f32Ceil, f32Floor, f32Max, f32Min, f32Nearest, f32Sqrt, f32Trunc, f64Ceil, f64Floor, f64Max, f64Min, f64Nearest, f64Trunc } from "../numeric/float.js";
import { i64Clz, i64Ctz, i64DivS, i64Popcnt, i64RemS, i64Rotl, i64Rotr } from "../numeric/i64.js";
import { MemoryInst } from "../runtime/memory.js";
import { TableInst } from "../runtime/table.js";
import { chargeUnits, memoryCopy, memoryCopyBetween, memoryFill, memoryGrow, memoryInit, tableCopy, tableFill, tableGrow, tableInit } from "./bulk.js";
import { load64, loadN, setI64, store64, storeN, u64At } from "./memory-n.js";
import { pollCancel } from "./checkpoint.js";
import type { ExecContext } from "./context.js";
import { newException, type ExceptionInst } from "../runtime/tag.js";

const EMPTY_MEMORY = new MemoryInst(0, 0, 0);

/**
 * The units a 64-bit `memory.grow` / `table.grow` of `n` is charged for: `n` itself with metering
 * on (a delta beyond the fuel left stops the guest, as for 32-bit grows); with metering off, at most
 * 2^32 (what a 32-bit grow may charge), so that the unmetered budget never runs out.
 */
function growUnits(ctx: ExecContext, n: number): number {
  return ctx.store!.metering || n < 0x100000000 ? n : 0x100000000;
}

/**
 * The check point of a bulk op of `n` units (bytes or elements; up to 2^53): it counts as
 * ceil(n / 4096) check points, at least one, and cancellation is polled before the op starts (a
 * length of 2^32 or more traps before doing anything, so it counts as 2^20). Saves `steps` and
 * `fuel` to `ctx` for the op; returns the countdown left.
 */
function bulkCheckPoint(ctx: ExecContext, steps: number, fuel: number, n: number): number {
  steps -= (n < 0x100000000 ? n >>> 12 : 0xfffff) + 1;
  if (steps <= 0) {
    steps = ctx.interval;
    ctx.primeSteps = 0;
    ctx.steps = steps; ctx.fuel = fuel;
    pollCancel(ctx);
  }
  ctx.steps = steps; ctx.fuel = fuel;
  return steps;
}

/** Runs the rare op at `ctx.pc` (see the file comment); returns the next pc. */
export function rareOp(ctx: ExecContext): number {
  const inst = ctx.inst!;
  const code = inst.compiled.code;
  const pu = inst.compiled.costs.perUnit;
  const globals = inst.globals;
  const mem = inst.memories[0] ?? EMPTY_MEMORY;
  const s32 = ctx.s32, f32 = ctx.f32, f64 = ctx.f64, refs = ctx.refs;
  const fp = ctx.fp;
  let pc = ctx.pc;
  let fuel = ctx.fuel, steps = ctx.steps;
  switch (code[pc]) {
    case 35 /* MOV_REF */:
      refs[(fp + code[pc + 2]!) >> 1] = refs[(fp + code[pc + 3]!) >> 1];
      pc += 4;
      break;
    case 38 /* REF_NULL */:
      refs[(fp + code[pc + 2]!) >> 1] = null;
      pc += 3;
      break;
    case 39 /* REF_FUNC */:
      refs[(fp + code[pc + 2]!) >> 1] = inst.funcs[code[pc + 3]!];
      ctx.refsDirty = true;
      pc += 4;
      break;
    case 40 /* REF_IS_NULL */:
      s32[fp + code[pc + 2]!] = refs[(fp + code[pc + 3]!) >> 1] === null ? 1 : 0;
      pc += 4;
      break;
    case 42 /* SELECT_REF */: {
      const a = s32[fp + code[pc + 5]!] !== 0 ? fp + code[pc + 3]! : fp + code[pc + 4]!;
      refs[(fp + code[pc + 2]!) >> 1] = refs[a >> 1];
      pc += 6;
      break;
    }
    case 45 /* GLOBAL_GET_REF */:
      refs[(fp + code[pc + 2]!) >> 1] = globals[code[pc + 3]!]!.ref;
      ctx.refsDirty = true;
      pc += 4;
      break;
    case 46 /* GLOBAL_SET_REF */:
      globals[code[pc + 2]!]!.ref = refs[(fp + code[pc + 3]!) >> 1];
      pc += 4;
      break;
    case 101 /* I64_DIV_S */:
      {
        const b = fp + code[pc + 4]!;
        if ((s32[b]! | s32[b + 1]!) === 0) throw (new RuntimeError("integer-divide-by-zero"));
        const a = fp + code[pc + 3]!;
        if (s32[a + 1] === -2147483648 && s32[a] === 0 && (s32[b]! & s32[b + 1]!) === -1) throw (new RuntimeError("integer-overflow"));
      }
      i64DivS(s32, fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!);
      pc += 5;
      break;
    case 103 /* I64_REM_S */:
      {
        const b = fp + code[pc + 4]!;
        if ((s32[b]! | s32[b + 1]!) === 0) throw (new RuntimeError("integer-divide-by-zero"));
      }
      i64RemS(s32, fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!);
      pc += 5;
      break;
    case 111 /* I64_ROTL */:
      i64Rotl(s32, fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!);
      pc += 5;
      break;
    case 112 /* I64_ROTR */:
      i64Rotr(s32, fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!);
      pc += 5;
      break;
    case 130 /* I64_CLZ */:
      i64Clz(s32, fp + code[pc + 2]!, fp + code[pc + 3]!);
      pc += 4;
      break;
    case 131 /* I64_CTZ */:
      i64Ctz(s32, fp + code[pc + 2]!, fp + code[pc + 3]!);
      pc += 4;
      break;
    case 132 /* I64_POPCNT */:
      i64Popcnt(s32, fp + code[pc + 2]!, fp + code[pc + 3]!);
      pc += 4;
      break;
    case 143 /* F32_MIN */:
      f32[fp + code[pc + 2]!] = f32Min(f32[fp + code[pc + 3]!]!, f32[fp + code[pc + 4]!]!);
      pc += 5;
      break;
    case 144 /* F32_MAX */:
      f32[fp + code[pc + 2]!] = f32Max(f32[fp + code[pc + 3]!]!, f32[fp + code[pc + 4]!]!);
      pc += 5;
      break;
    case 154 /* F32_CEIL */:
      f32[fp + code[pc + 2]!] = f32Ceil(f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 155 /* F32_FLOOR */:
      f32[fp + code[pc + 2]!] = f32Floor(f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 156 /* F32_TRUNC */:
      f32[fp + code[pc + 2]!] = f32Trunc(f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 157 /* F32_NEAREST */:
      f32[fp + code[pc + 2]!] = f32Nearest(f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 158 /* F32_SQRT */:
      f32[fp + code[pc + 2]!] = f32Sqrt(f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 163 /* F64_MIN */:
      f64[(fp + code[pc + 2]!) >> 1] = f64Min(f64[(fp + code[pc + 3]!) >> 1]!, f64[(fp + code[pc + 4]!) >> 1]!);
      pc += 5;
      break;
    case 164 /* F64_MAX */:
      f64[(fp + code[pc + 2]!) >> 1] = f64Max(f64[(fp + code[pc + 3]!) >> 1]!, f64[(fp + code[pc + 4]!) >> 1]!);
      pc += 5;
      break;
    case 174 /* F64_CEIL */:
      f64[(fp + code[pc + 2]!) >> 1] = f64Ceil(f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 175 /* F64_FLOOR */:
      f64[(fp + code[pc + 2]!) >> 1] = f64Floor(f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 176 /* F64_TRUNC */:
      f64[(fp + code[pc + 2]!) >> 1] = f64Trunc(f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 177 /* F64_NEAREST */:
      f64[(fp + code[pc + 2]!) >> 1] = f64Nearest(f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 179 /* I32_TRUNC_F32_S */:
      s32[fp + code[pc + 2]!] = i32TruncF32S(f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 180 /* I32_TRUNC_F32_U */:
      s32[fp + code[pc + 2]!] = i32TruncF32U(f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 181 /* I32_TRUNC_F64_S */:
      s32[fp + code[pc + 2]!] = i32TruncF64S(f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 182 /* I32_TRUNC_F64_U */:
      s32[fp + code[pc + 2]!] = i32TruncF64U(f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 183 /* I64_TRUNC_F32_S */:
      i64TruncF32S(s32, fp + code[pc + 2]!, f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 184 /* I64_TRUNC_F32_U */:
      i64TruncF32U(s32, fp + code[pc + 2]!, f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 185 /* I64_TRUNC_F64_S */:
      i64TruncF64S(s32, fp + code[pc + 2]!, f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 186 /* I64_TRUNC_F64_U */:
      i64TruncF64U(s32, fp + code[pc + 2]!, f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 189 /* F32_CONVERT_I64_S */:
      f32[fp + code[pc + 2]!] = f32ConvertI64S(s32, fp + code[pc + 3]!);
      pc += 4;
      break;
    case 190 /* F32_CONVERT_I64_U */:
      f32[fp + code[pc + 2]!] = f32ConvertI64U(s32, fp + code[pc + 3]!);
      pc += 4;
      break;
    case 191 /* F32_DEMOTE_F64 */:
      f32[fp + code[pc + 2]!] = f32DemoteF64(f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 194 /* F64_CONVERT_I64_S */:
      f64[(fp + code[pc + 2]!) >> 1] = f64ConvertI64S(s32, fp + code[pc + 3]!);
      pc += 4;
      break;
    case 195 /* F64_CONVERT_I64_U */:
      f64[(fp + code[pc + 2]!) >> 1] = f64ConvertI64U(s32, fp + code[pc + 3]!);
      pc += 4;
      break;
    case 197 /* I32_TRUNC_SAT_F32_S */:
      s32[fp + code[pc + 2]!] = i32TruncSatF32S(f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 198 /* I32_TRUNC_SAT_F32_U */:
      s32[fp + code[pc + 2]!] = i32TruncSatF32U(f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 199 /* I32_TRUNC_SAT_F64_S */:
      s32[fp + code[pc + 2]!] = i32TruncSatF64S(f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 200 /* I32_TRUNC_SAT_F64_U */:
      s32[fp + code[pc + 2]!] = i32TruncSatF64U(f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 201 /* I64_TRUNC_SAT_F32_S */:
      i64TruncSatF32S(s32, fp + code[pc + 2]!, f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 202 /* I64_TRUNC_SAT_F32_U */:
      i64TruncSatF32U(s32, fp + code[pc + 2]!, f32[fp + code[pc + 3]!]!);
      pc += 4;
      break;
    case 203 /* I64_TRUNC_SAT_F64_S */:
      i64TruncSatF64S(s32, fp + code[pc + 2]!, f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 204 /* I64_TRUNC_SAT_F64_U */:
      i64TruncSatF64U(s32, fp + code[pc + 2]!, f64[(fp + code[pc + 3]!) >> 1]!);
      pc += 4;
      break;
    case 239 /* MEMORY_GROW */: {
      ctx.steps = steps; ctx.fuel = fuel;
      const r = memoryGrow(ctx, mem, fuel, code[pc + 1]!, s32[fp + code[pc + 3]!]! >>> 0, pu.memoryGrow);
      fuel = r[1];
      s32[fp + code[pc + 2]!] = r[0];
      pc += 4;
      break;
    }
    case 240 /* MEMORY_FILL */:
      steps = bulkCheckPoint(ctx, steps, fuel, s32[fp + code[pc + 4]!]! >>> 0);
      fuel = memoryFill(ctx, mem, fuel, code[pc + 1]!, s32[fp + code[pc + 2]!]! >>> 0, s32[fp + code[pc + 3]!]!, s32[fp + code[pc + 4]!]! >>> 0, pu.memoryFill);
      pc += 5;
      break;
    case 241 /* MEMORY_COPY */:
      steps = bulkCheckPoint(ctx, steps, fuel, s32[fp + code[pc + 4]!]! >>> 0);
      fuel = memoryCopy(ctx, mem, fuel, code[pc + 1]!, s32[fp + code[pc + 2]!]! >>> 0, s32[fp + code[pc + 3]!]! >>> 0, s32[fp + code[pc + 4]!]! >>> 0, pu.memoryCopy);
      pc += 5;
      break;
    case 242 /* MEMORY_INIT */:
      steps = bulkCheckPoint(ctx, steps, fuel, s32[fp + code[pc + 5]!]! >>> 0);
      fuel = memoryInit(ctx, inst, mem, fuel, code[pc + 1]!, code[pc + 2]!, s32[fp + code[pc + 3]!]! >>> 0, s32[fp + code[pc + 4]!]! >>> 0, s32[fp + code[pc + 5]!]! >>> 0, pu.memoryInit);
      pc += 6;
      break;
    case 243 /* DATA_DROP */:
      inst.datas[code[pc + 2]!] = null;
      pc += 3;
      break;
    case 244 /* TABLE_GET */: {
      const el = inst.tables[code[pc + 3]!]!.elements;
      const i = s32[fp + code[pc + 4]!]! >>> 0;
      if (i >= el.length) throw (new RuntimeError("out-of-bounds-table-access", `table.get index ${i} outside a table of ${el.length}`));
      refs[(fp + code[pc + 2]!) >> 1] = el[i];
      ctx.refsDirty = true;
      pc += 5;
      break;
    }
    case 245 /* TABLE_SET */: {
      const el = inst.tables[code[pc + 2]!]!.elements;
      const i = s32[fp + code[pc + 3]!]! >>> 0;
      if (i >= el.length) throw (new RuntimeError("out-of-bounds-table-access", `table.set index ${i} outside a table of ${el.length}`));
      el[i] = refs[(fp + code[pc + 4]!) >> 1];
      pc += 5;
      break;
    }
    case 246 /* TABLE_SIZE */:
      s32[fp + code[pc + 2]!] = inst.tables[code[pc + 3]!]!.elements.length;
      pc += 4;
      break;
    case 247 /* TABLE_GROW */: {
      ctx.steps = steps; ctx.fuel = fuel;
      const r = tableGrow(ctx, inst, fuel, code[pc + 1]!, code[pc + 3]!, refs[(fp + code[pc + 4]!) >> 1], s32[fp + code[pc + 5]!]! >>> 0, pu.tableGrow);
      fuel = r[1];
      s32[fp + code[pc + 2]!] = r[0];
      pc += 6;
      break;
    }
    case 248 /* TABLE_FILL */:
      steps = bulkCheckPoint(ctx, steps, fuel, s32[fp + code[pc + 5]!]! >>> 0);
      fuel = tableFill(ctx, inst, fuel, code[pc + 1]!, code[pc + 2]!, s32[fp + code[pc + 3]!]! >>> 0, refs[(fp + code[pc + 4]!) >> 1], s32[fp + code[pc + 5]!]! >>> 0, pu.tableFill);
      pc += 6;
      break;
    case 249 /* TABLE_COPY */:
      steps = bulkCheckPoint(ctx, steps, fuel, s32[fp + code[pc + 6]!]! >>> 0);
      fuel = tableCopy(ctx, inst, fuel, code[pc + 1]!, code[pc + 2]!, code[pc + 3]!, s32[fp + code[pc + 4]!]! >>> 0, s32[fp + code[pc + 5]!]! >>> 0, s32[fp + code[pc + 6]!]! >>> 0, pu.tableCopy);
      pc += 7;
      break;
    case 250 /* TABLE_INIT */:
      steps = bulkCheckPoint(ctx, steps, fuel, s32[fp + code[pc + 6]!]! >>> 0);
      fuel = tableInit(ctx, inst, fuel, code[pc + 1]!, code[pc + 2]!, code[pc + 3]!, s32[fp + code[pc + 4]!]! >>> 0, s32[fp + code[pc + 5]!]! >>> 0, s32[fp + code[pc + 6]!]! >>> 0, pu.tableInit);
      pc += 7;
      break;
    case 251 /* ELEM_DROP */:
      inst.elems[code[pc + 2]!] = null;
      pc += 3;
      break;
    case 261 /* CANON_F32 */: {
      const w = fp + code[pc + 2]!;
      if (Number.isNaN(f32[w]!)) s32[w] = 0x7fc00000;
      pc += 3;
      break;
    }
    case 262 /* CANON_F64 */: {
      const w = fp + code[pc + 2]!;
      if (Number.isNaN(f64[w >> 1]!)) {
        s32[w] = 0;
        s32[w + 1] = 0x7ff80000;
      }
      pc += 3;
      break;
    }
    // ---- memories other than 0 (multi-memory) ---------------------------------------------------
    case 267 /* MEM_LOAD_N */:
      loadN(inst.memories[code[pc + 5]!]!, code[pc + 5]!, code[pc + 6]!, s32, fp + code[pc + 2]!, s32[fp + code[pc + 3]!]!, code[pc + 4]!);
      pc += 7;
      break;
    case 268 /* MEM_STORE_N */:
      storeN(inst.memories[code[pc + 5]!]!, code[pc + 5]!, code[pc + 6]!, s32, fp + code[pc + 3]!, s32[fp + code[pc + 2]!]!, code[pc + 4]!);
      pc += 7;
      break;
    case 269 /* MEMORY_SIZE_N */:
      s32[fp + code[pc + 2]!] = inst.memories[code[pc + 3]!]!.pages;
      pc += 4;
      break;
    case 270 /* MEMORY_GROW_N */: {
      ctx.steps = steps; ctx.fuel = fuel;
      const r = memoryGrow(ctx, inst.memories[code[pc + 4]!]!, fuel, code[pc + 1]!, s32[fp + code[pc + 3]!]! >>> 0, pu.memoryGrow);
      fuel = r[1];
      s32[fp + code[pc + 2]!] = r[0];
      pc += 5;
      break;
    }
    case 271 /* MEMORY_FILL_N */:
    case 272 /* MEMORY_COPY_N */:
    case 273 /* MEMORY_INIT_N */: {
      const op = code[pc]!;
      const n = s32[fp + code[pc + (op === 273 ? 5 : 4)]!]! >>> 0;
      steps = bulkCheckPoint(ctx, steps, fuel, n);
      if (op === 271 /* MEMORY_FILL_N */) {
        fuel = memoryFill(ctx, inst.memories[code[pc + 5]!]!, fuel, code[pc + 1]!, s32[fp + code[pc + 2]!]! >>> 0, s32[fp + code[pc + 3]!]!, n, pu.memoryFill);
        pc += 6;
      } else if (op === 272 /* MEMORY_COPY_N */) {
        fuel = memoryCopyBetween(ctx, inst.memories[code[pc + 5]!]!, inst.memories[code[pc + 6]!]!, fuel, code[pc + 1]!, s32[fp + code[pc + 2]!]! >>> 0, s32[fp + code[pc + 3]!]! >>> 0, n, pu.memoryCopy);
        pc += 7;
      } else {
        fuel = memoryInit(ctx, inst, inst.memories[code[pc + 6]!]!, fuel, code[pc + 1]!, code[pc + 2]!, s32[fp + code[pc + 3]!]! >>> 0, s32[fp + code[pc + 4]!]! >>> 0, n, pu.memoryInit);
        pc += 7;
      }
      break;
    }
    // ---- exception handling: raise; execute/exceptions.ts finds the handler (registers are saved)
    case 274 /* THROW */:
      throw newException(inst.tags[code[pc + 2]!]!, s32, refs, fp + code[pc + 3]!);
    case 275 /* THROW_REF */: {
      const e = refs[(fp + code[pc + 2]!) >> 1];
      if (e === null || e === undefined) throw new RuntimeError("null-reference", "throw_ref of a null exception reference");
      throw e as ExceptionInst;
    }
    // ---- 64-bit memories (memory64): i64 addresses in two words, u64 offsets ---------------------
    case 276 /* MEM64_LOAD */:
      load64(inst.memories[code[pc + 6]!]!, code[pc + 6]!, code[pc + 7]!, s32, fp + code[pc + 2]!, fp + code[pc + 3]!, code[pc + 4]!, code[pc + 5]!);
      pc += 8;
      break;
    case 277 /* MEM64_STORE */:
      store64(inst.memories[code[pc + 6]!]!, code[pc + 6]!, code[pc + 7]!, s32, fp + code[pc + 3]!, fp + code[pc + 2]!, code[pc + 4]!, code[pc + 5]!);
      pc += 8;
      break;
    case 278 /* MEMORY64_SIZE */:
      setI64(s32, fp + code[pc + 2]!, inst.memories[code[pc + 3]!]!.pages);
      pc += 4;
      break;
    case 279 /* MEMORY64_GROW */: {
      ctx.steps = steps; ctx.fuel = fuel;
      const n = u64At(s32, fp + code[pc + 3]!);
      fuel = chargeUnits(ctx, fuel, growUnits(ctx, n) * pu.memoryGrow, code[pc + 1]!);
      setI64(s32, fp + code[pc + 2]!, inst.memories[code[pc + 4]!]!.grow(n));
      pc += 5;
      break;
    }
    case 280 /* MEMORY64_FILL */:
    case 281 /* MEMORY64_COPY */:
    case 282 /* MEMORY64_INIT */: {
      // the operands of the 64-bit memories are i64 (memory.copy between address types: each of its
      // memory's type, the length i64 only when both are); the bulk ops then see exact numbers
      const op = code[pc]!;
      let n: number;
      if (op === 280 /* MEMORY64_FILL */) n = u64At(s32, fp + code[pc + 4]!);
      else if (op === 281 /* MEMORY64_COPY */) n = inst.memories[code[pc + 5]!]!.is64 && inst.memories[code[pc + 6]!]!.is64 ? u64At(s32, fp + code[pc + 4]!) : s32[fp + code[pc + 4]!]! >>> 0;
      else n = s32[fp + code[pc + 5]!]! >>> 0;
      steps = bulkCheckPoint(ctx, steps, fuel, n);
      if (op === 280 /* MEMORY64_FILL */) {
        fuel = memoryFill(ctx, inst.memories[code[pc + 5]!]!, fuel, code[pc + 1]!, u64At(s32, fp + code[pc + 2]!), s32[fp + code[pc + 3]!]!, n, pu.memoryFill);
        pc += 6;
      } else if (op === 281 /* MEMORY64_COPY */) {
        const dst = inst.memories[code[pc + 5]!]!, src = inst.memories[code[pc + 6]!]!;
        const d = dst.is64 ? u64At(s32, fp + code[pc + 2]!) : s32[fp + code[pc + 2]!]! >>> 0;
        const sa = src.is64 ? u64At(s32, fp + code[pc + 3]!) : s32[fp + code[pc + 3]!]! >>> 0;
        fuel = memoryCopyBetween(ctx, dst, src, fuel, code[pc + 1]!, d, sa, n, pu.memoryCopy);
        pc += 7;
      } else {
        fuel = memoryInit(ctx, inst, inst.memories[code[pc + 6]!]!, fuel, code[pc + 1]!, code[pc + 2]!, u64At(s32, fp + code[pc + 3]!), s32[fp + code[pc + 4]!]! >>> 0, n, pu.memoryInit);
        pc += 7;
      }
      break;
    }
    // ---- 64-bit tables (table64) -----------------------------------------------------------------
    case 283 /* INDEX64 */: {
      // an i64 index or count for the table op that follows: itself when below 2^32, else 2^32-1,
      // which is out of bounds of every table (a table holds at most 2^32-2 elements)
      const a = fp + code[pc + 3]!;
      s32[fp + code[pc + 2]!] = s32[a + 1] === 0 ? s32[a]! : -1;
      pc += 4;
      break;
    }
    case 284 /* TABLE64_GROW */: {
      ctx.steps = steps; ctx.fuel = fuel;
      const n = u64At(s32, fp + code[pc + 5]!);
      fuel = chargeUnits(ctx, fuel, growUnits(ctx, n) * pu.tableGrow, code[pc + 1]!);
      setI64(s32, fp + code[pc + 2]!, inst.tables[code[pc + 3]!]!.grow(n, refs[(fp + code[pc + 4]!) >> 1]));
      pc += 6;
      break;
    }
    // ---- typed function references
    case 285 /* CALL_REF_TARGET */: {
      // call_ref's callee into the hidden one-element table the CALL_INDIRECT after this op calls
      // through (made on first use; snapshots leave it out: it is only read right after this op)
      const a = fp + code[pc + 2]!;
      const f = refs[a >> 1];
      if (f === null || f === undefined) throw new RuntimeError("null-function-reference");
      const x = code[pc + 3]!;
      let t = inst.tables[x];
      if (t === undefined) inst.tables[x] = t = new TableInst(0x70, 1, 1, 1);
      t.elements[0] = f;
      s32[a] = 0;
      pc += 4;
      break;
    }
    case 286 /* REF_AS_NON_NULL */: {
      const r = refs[(fp + code[pc + 2]!) >> 1];
      if (r === null || r === undefined) throw new RuntimeError("null-reference", "ref.as_non_null of a null reference");
      pc += 3;
      break;
    }
    default:
      throw new Error(`executor: unknown internal opcode ${code[pc]} at ${pc}`);
  }
  ctx.fuel = fuel;
  ctx.steps = steps;
  return pc;
}
