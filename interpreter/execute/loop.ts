/**
 * The dispatch loop: runs translated code (translate/opcodes.ts) until the top-level frame
 * returns (result 0), an async slice ends (result 1), or a trap is thrown.
 *
 * Written for speed on purpose: ONE function, ONE dense `switch` on literal small-integer
 * opcodes (V8 builds a jump table only for literal case labels; `case N: // NAME`, checked by
 * test/interpreter/engine-opcodes.test.ts), code/slot/memory views held in local variables, no
 * allocation or closure per instruction, no JS recursion per wasm call (frames live in
 * `ctx.frames`). Everything rare lives outside: the rare ops (references, bulk memory and tables,
 * memory.grow, most conversions, float rounding, i64 bit counts...) run in rare.ts, reached
 * through the `default:` case; bulk.ts, host.ts, fuel.ts, checkpoint.ts, numeric/ hold the slow
 * paths, and out-of-line-access.ts the loads and stores at addresses that are not aligned or
 * past the fast limit of a memory over 1 GiB (reached from one shared site below the switch, so
 * that the aligned paths stay small and the out-of-line one is fed once, by the primer, for every
 * memory op). The bounds checks compare with `memLen` (`MemoryInst.fastLength`), the memory's
 * length clamped to 1 GiB - 1, a small-integer field V8 holds as an int32 (a typed array's own
 * length is a float64 to V8: each memory op converted it back); an access past it goes to the
 * out-of-line site too, which checks it against the real length and traps there.
 *
 * One run of the loop holds its views as constants: the instance, its code arrays and globals,
 * the value slots and the frame stack (the memory views are read again after memory.grow and
 * host calls). Whatever replaces one (a call into another instance or a return to one, a first
 * call whose translation replaced the code arrays, value slots or frames grown, a host call that
 * did either) is a *reload*: the loop leaves through its slow path and `run` runs it again from
 * the saved registers. So V8 keeps the views' checks and loads out of the iteration, and the
 * values that change across iterations (`pc`, `fp`, `fsp`, `bpc`, `steps`, `fuel`, `slow`, the
 * memory views) are few; the integers among them are set only from values typed as such (`| 0`
 * on what V8 cannot type), so V8 keeps them untagged. (The memory views stay loop variables:
 * a reload after each memory.grow ran the function again inside a guest's first call, which made
 * V8 start its non-OSR compile of the loop there; measurements in bench/README.md.)
 * The case temporaries are `var`, on purpose: one function-wide register per name instead of one
 * per block. V8 describes every register of the function at each of the optimised loop's ~1,000
 * deoptimisation points, so the 312 registers that block-scoped `const`s gave made TurboFan's
 * compile of the loop 20-30 % slower.
 *
 * Fuel is charged per fuel block (ops up to a branch, call or return, through the labels control
 * falls into: translate/translator.ts), on entering it: `rest[pc]` (see execute/fuel.ts for the
 * exact slow paths: a block that does not fit, and the refund after a trap). Ops carry no fuel code.
 * Every op reads all its operands before writing its destination (destinations may alias).
 * The step countdown for cancellation/slices is decremented at function entry and at every
 * taken branch (and, in the realm's priming chunks only, at SIMD ops: see PRIME_CHUNKS).
 */
import { RuntimeError } from "../errors.js";
import { i64DivU, i64RemU, i64Shl, i64ShrS, i64ShrU } from "../numeric/i64.js";
import type { FuncInst } from "../runtime/func.js";
import type { InstanceRuntime } from "../runtime/instance.js";
import { MemoryInst } from "../runtime/memory.js";
import { CancelSources } from "../runtime/cancellation.js";
import { checkpoint } from "./checkpoint.js";
import type { ExecContext } from "./context.js";
import { blockShortfall, fuelStop, restorePatch, trapRefund } from "./fuel.js";
import { BLOCK_END } from "../translate/opcodes.js";
import { callHost } from "./host.js";
import { rareOp } from "./rare.js";
import { simdOp } from "./simd.js";
import { outOfLineAccess } from "./out-of-line-access.js";
import { broadPrimingDone, enablePriming, translateForRun } from "./prime.js";

const EMPTY_MEMORY = new MemoryInst(0, 0, 0);

/** Saves the loop registers to `ctx` and throws `e` (every trap site in the loop goes through here). */
function trapAt(ctx: ExecContext, pc: number, fp: number, fsp: number, inst: InstanceRuntime, steps: number, fuel: number, e: Error): never {
  ctx.pc = pc;
  ctx.fp = fp;
  ctx.fsp = fsp;
  ctx.inst = inst;
  ctx.steps = steps;
  ctx.fuel = fuel;
  throw e;
}

/**
 * Grows the value slots to `end` words and the frame stack to `frameEnd` entries, as far as a call
 * needs (the loop then runs the call again on the new arrays: a reload). Throws the limit traps.
 */
function growFor(ctx: ExecContext, end: number, frameEnd: number): void {
  if (end > ctx.wcap) ctx.growWords(end);
  if (frameEnd > ctx.fcap) ctx.growFrames(frameEnd / 3);
}

function initRefLocals(refs: unknown[], fpWord: number, slots: Int32Array): void {
  const base = fpWord >> 1;
  for (let i = 0; i < slots.length; i++) refs[base + slots[i]!] = null;
}

/**
 * Runs `ctx` from its saved registers. Returns 3 when the top-level call returned, 1 when
 * suspended, SLOW_RELOAD / SLOW_RELOAD_MID to be run again on new views (see the header). Throws
 * traps; every throwing site first saves the registers to `ctx` (see `run`).
 */
function loop(ctx: ExecContext): number {
  const store = ctx.store!;
  // the views: constant for this run of the loop (whatever replaces one reloads: see the header)
  const inst: InstanceRuntime = ctx.inst!;
  const cm = inst.compiled;
  const code = cm.code;
  const rest = cm.rest;
  const info = cm.funcInfo; // per function: entry pc, frame words, locals (translate/translator.ts FUNC_INFO_WORDS)
  const globals = inst.globals;
  const mem = inst.memories[0] ?? EMPTY_MEMORY;
  let m8 = mem.u8, m16 = mem.u16, m32 = mem.i32, m64 = mem.f64, memLen = mem.fastLength; // (read again after memory.grow and host calls)
  const s32 = ctx.s32, f32 = ctx.f32, f64 = ctx.f64;
  const frames = ctx.frames;
  // capacities clamped to this store's limits (a pooled context may have grown beyond them)
  // (constant for this run of the loop: whatever grows the slots or frames reloads)
  const wcap = ctx.wcap = Math.min(s32.length, ctx.maxWords) | 0;
  const fcap = ctx.fcap = Math.min(frames.length, ctx.maxFrames * 3) | 0;
  let pc = ctx.pc | 0, fp = ctx.fp | 0, fsp = ctx.fsp | 0;
  let bpc = pc; // the branch op of a taken branch (see the tails below the switch)
  let steps = ctx.steps | 0;
  let fuel = store._fuel | 0;
  let slow = SLOW_RETURN;
  if (!BROAD_PRIMED.pureflowBroadPrimingDone && broadPrimingDone()) BROAD_PRIMED.pureflowBroadPrimingDone = true;
  if (!PRIMED.pureflowFirstPrimingDone && primeStage < PRIME_CHUNKS.length && ctx.primeSteps === 0 && !ctx.sliceMode && steps > PRIME_CHUNKS[primeStage]!) {
    ctx.primeSteps = steps - PRIME_CHUNKS[primeStage]!;
    steps = PRIME_CHUNKS[primeStage]!;
  }
  {
    // the charge of the block at pc, 0 after a reload inside a block (it was charged). (Computed
    // and compared on every entry, reloads included, so that this code has type feedback however
    // the loop was entered first: see PRIME_CHUNKS.)
    const cost = rest[pc]!, due = ctx.midBlock ? 0 : cost;
    ctx.midBlock = false;
    if (due > fuel) { ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel; fuel = blockShortfall(ctx, cm, pc, fuel) | 0; } else fuel -= due;
    for (;;) {
      outOfLine: {
      slowPath: {
      // Plain ops end with `continue`. Ops that end a block leave through the two shared tails
      // below the switch (one call site each, so V8 gathers their type feedback once, not per op):
      // `break taken` for a taken branch (pc = target, bpc = the branch op): the step countdown and
      // its check point; then, and for `break charge` (pc = the next block's start), the charge of
      // the block at pc.
      charge: {
        taken: {
      switch (code[pc]) {
        // ---- control ---------------------------------------------------------------------------
        // Taken branches, calls and returns move to a block start and charge its cost `rest[pc]`
        // (the tails below the switch). A check point (step countdown) comes before the charge, with
        // ctx.pc still at the branch/call op.
        case 0 /* NOP */:
          pc += 2;
          continue;
        case 1 /* ENTER */:
          pc += 2;
          break charge;
        case 2 /* OOF_STOP */:
          ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
          fuelStop(ctx, cm, pc, fuel);
        case 3 /* UNREACHABLE */:
          trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("unreachable"));
        case 4 /* BR */: {
          var t = code[pc + 2]!;
          bpc = pc; pc = t; break taken;
        }
        // pair (translate/pairs.ts) in one case (the pair below falls into BR_IF's): an f64 compare,
        // then the br_if at its own pc (fft's range reduction `while x > PI { x -= 2 PI }`: a third
        // of its ops)
        case 316 /* F64_GT_THEN_BR_IF */:
          s32[fp + code[pc + 2]!] = f64[(fp + code[pc + 3]!) >> 1]! > f64[(fp + code[pc + 4]!) >> 1]! ? 1 : 0;
          pc += 5;
          if (s32[fp + code[pc + 2]!] !== 0) {
            var t = code[pc + 3]!;
            bpc = pc; pc = t; break taken;
          } else pc += 4;
          break charge;
        // pair (translate/pairs.ts): the first half, then on into the second op's case at its own pc
        case 312 /* I32_ADD_IMM_THEN_BR_IF */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + code[pc + 4]!;
          pc += 5;
        case 5 /* BR_IF */:
          if (s32[fp + code[pc + 2]!] !== 0) {
            var t = code[pc + 3]!;
            bpc = pc; pc = t; break taken;
          } else pc += 4;
          break charge;
        // pair (translate/pairs.ts): the first half, then on into the second op's case at its own pc
        case 313 /* I32_AND_IMM_THEN_BR_UNLESS */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! & code[pc + 4]!;
          pc += 5;
        case 6 /* BR_UNLESS */:
          if (s32[fp + code[pc + 2]!] === 0) {
            var t = code[pc + 3]!;
            bpc = pc; pc = t; break taken;
          } else pc += 4;
          break charge;
        case 7 /* BR_TABLE */: {
          var i = s32[fp + code[pc + 2]!]! >>> 0;
          var n = code[pc + 3]!;
          var t = code[pc + 4 + (i < n ? i : n)]!;
          bpc = pc; pc = t; break taken;
        }
        case 8 /* RETURN */:
        case 9 /* RETURN_REFS */:
        case 10 /* RETURN1 */: {
          if (code[pc] === 10 /* RETURN1 */) {
            var a = fp + code[pc + 2]!;
            var lo = s32[a]!, hi = s32[a + 1]!;
            s32[fp] = lo;
            s32[fp + 1] = hi;
          } else {
            var src = code[pc + 2]!, n = code[pc + 3]!;
            if (src !== 0) {
            for (var k = 0, e = 2 * n; k < e; k++) s32[fp + k] = s32[fp + src + k]!;
              if (code[pc] === 9 /* RETURN_REFS */) for (var k = 0, b = fp >> 1, sb = (fp + src) >> 1; k < n; k++) ctx.refs[b + k] = ctx.refs[sb + k];
            }
          }
          fsp -= 3;
          var rpc = frames[fsp]!;
          if (rpc < 0) { slow = SLOW_RETURN; break slowPath; }
          fp = frames[fsp + 1]!;
          pc = rpc;
          if (frames[fsp + 2] !== 0) {
            ctx.inst = ctx.instStack.pop()!; // back in the caller's instance: its views
            slow = SLOW_RELOAD; break slowPath;
          }
          break charge;
        }
        // pairs (translate/pairs.ts): an argument copied or computed (an add of a constant), then
        // on into CALL's case at its own pc (a reload there runs the call again, not the first half)
        case 317 /* MOV_THEN_CALL */: case 318 /* I32_ADD_IMM_THEN_CALL */:
          if (code[pc] === 317 /* MOV_THEN_CALL */) {
            var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
            s32[d] = s32[a]!;
            s32[d + 1] = s32[a + 1]!;
            pc += 4;
          } else {
            s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + code[pc + 4]!;
            pc += 5;
          }
        case 11 /* CALL */: {
          // f: where the callee's words start in `info` (its index times FUNC_INFO_WORDS)
          var f = code[pc + 2]! << 2;
          if (info[f]! < 0) {
            // first call: translate the callee; when that replaced the code arrays, this call runs
            // again on the new ones (nothing of it has run)
            translateForRun(cm, f >> 2);
            if (cm.code !== code) { slow = SLOW_RELOAD_MID; break slowPath; }
          }
          var nfp = fp + code[pc + 3]!;
          var end = nfp + info[f + 1 /* frame words */]!;
          if (end > wcap || fsp + 3 > fcap) {
            // the value slots or the frame stack grow (new arrays): this call runs again on them
            ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
            growFor(ctx, end, fsp + 3);
            slow = SLOW_RELOAD_MID; break slowPath;
          }
          frames[fsp] = pc + 4; frames[fsp + 1] = fp; frames[fsp + 2] = 0; fsp += 3;
          // zero the declared locals (two words each: a loop of half the steps, fib -2 %); reference
          // locals (bit 0 of the end word) to null too
          var le = info[f + 3 /* locals end */]!;
          for (var w = nfp + info[f + 2 /* locals start */]!, e = nfp + (le & -2); w < e; w += 2) { s32[w] = 0; s32[w + 1] = 0; }
          if ((le & 1) !== 0) initRefLocals(ctx.refs, nfp, cm.funcs[f >> 2]!.refLocals);
          bpc = pc;
          fp = nfp;
          pc = info[f]!;
          if (--steps <= 0) { slow = SLOW_CALL_CHECK; break slowPath; }
          break charge;
        }
        case 12 /* CALL_IMPORT */:
        case 13 /* CALL_INDIRECT */: {
          var fi: FuncInst, nfp: number, rpc: number;
          if (code[pc] === 12 /* CALL_IMPORT */) {
            fi = inst.funcs[code[pc + 2]!]!;
            nfp = fp + code[pc + 3]!;
            rpc = pc + 4;
          } else {
            var el = inst.tables[code[pc + 3]!]!.elements;
            var i = s32[fp + code[pc + 4]!]! >>> 0;
            if (i >= el.length) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("undefined-element", `call_indirect index ${i} outside a table of ${el.length}`));
            var callee = el[i] as FuncInst | null;
            if (callee === null || callee === undefined) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("uninitialized-element", `call_indirect to null table element ${i}`));
            if (callee.sigId !== inst.sigIds[code[pc + 2]!]) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("indirect-call-type-mismatch"));
            fi = callee;
            nfp = fp + code[pc + 5]!;
            rpc = pc + 6;
          }
          var target = fi.instance;
          if (target === undefined) {
            store._sync(fuel);
            ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
            ctx.inHost = true;
            callHost(ctx, fi, nfp);
            ctx.inHost = false;
            fuel = store._fuel | 0;
            pc = rpc;
            // the host may have grown the memory, or run wasm that translated functions or grew the slots
            m8 = mem.u8; m16 = mem.u16; m32 = mem.i32; m64 = mem.f64; memLen = mem.fastLength;
            if (cm.code !== code || ctx.s32 !== s32 || ctx.frames !== frames) { slow = SLOW_RELOAD; break slowPath; }
            break charge;
          }
          if (target.poisoned !== undefined) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("interrupted", `callee instance was interrupted earlier (${target.poisoned})`));
          var tcm = target.compiled, tinfo = tcm.funcInfo;
          var f = fi.defIndex << 2; // (as for CALL)
          if (tinfo[f]! < 0) {
            translateForRun(tcm, f >> 2);
            if (cm.code !== code) { slow = SLOW_RELOAD_MID; break slowPath; } // (as for CALL)
          }
          var end = nfp + tinfo[f + 1 /* frame words */]!;
          if (end > wcap || fsp + 3 > fcap) {
            ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
            growFor(ctx, end, fsp + 3);
            slow = SLOW_RELOAD_MID; break slowPath;
          }
          frames[fsp] = rpc; frames[fsp + 1] = fp; frames[fsp + 2] = target !== inst ? 1 : 0; fsp += 3;
          var le = tinfo[f + 3 /* locals end */]!;
          for (var w = nfp + tinfo[f + 2 /* locals start */]!, e = nfp + (le & -2); w < e; w += 2) { s32[w] = 0; s32[w + 1] = 0; }
          if ((le & 1) !== 0) initRefLocals(ctx.refs, nfp, tcm.funcs[f >> 2]!.refLocals);
          if (target === inst) {
            bpc = pc;
            fp = nfp;
            pc = tinfo[f]!;
            if (--steps <= 0) { slow = SLOW_CALL_CHECK; break slowPath; }
            break charge;
          }
          if (--steps <= 0) {
            steps = ctx.interval | 0;
            ctx.primeSteps = 0;
            ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
            if (checkpoint(ctx)) {
              // suspend at the callee's entry, its block not charged yet
              ctx.instStack.push(inst);
              ctx.pc = tinfo[f]!; ctx.fp = nfp; ctx.fsp = fsp; ctx.inst = target; ctx.steps = steps; store._sync(fuel);
              return 1;
            }
          }
          ctx.instStack.push(inst);
          ctx.inst = target; // into another instance: its views
          fp = nfp;
          pc = tinfo[f]!;
          slow = SLOW_RELOAD; break slowPath;
        }
        // ---- tail calls: the callee takes over this frame (constant frame count and JS stack) ------
        case 264 /* RETURN_CALL */: {
          var f = code[pc + 2]! << 2; // (as for CALL)
          if (info[f]! < 0) {
            translateForRun(cm, f >> 2);
            if (cm.code !== code) { slow = SLOW_RELOAD_MID; break slowPath; } // (as for CALL)
          }
          var end = fp + info[f + 1 /* frame words */]!;
          if (end > wcap) {
            // the value slots grow (new arrays): this call runs again on them (nothing moved yet)
            ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
            growFor(ctx, end, 0);
            slow = SLOW_RELOAD_MID; break slowPath;
          }
          var src = fp + code[pc + 3]!;
          if (src !== fp) {
            for (var k = 0, e = code[pc + 4]!; k < e; k++) s32[fp + k] = s32[src + k]!;
            if (code[pc + 5] !== 0) for (var k = 0, e = code[pc + 4]! >> 1, b = fp >> 1, sb = src >> 1; k < e; k++) ctx.refs[b + k] = ctx.refs[sb + k];
          }
          var le = info[f + 3 /* locals end */]!;
          for (var w = fp + info[f + 2 /* locals start */]!, e = fp + (le & -2); w < e; w += 2) { s32[w] = 0; s32[w + 1] = 0; }
          if ((le & 1) !== 0) initRefLocals(ctx.refs, fp, cm.funcs[f >> 2]!.refLocals);
          if (--steps <= 0) {
            steps = ctx.interval | 0;
            ctx.primeSteps = 0;
            ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
            if (checkpoint(ctx)) { pc = info[f]!; ctx.pc = pc; store._sync(fuel); return 1; }
          }
          pc = info[f]!;
          break charge;
        }
        case 265 /* RETURN_CALL_IMPORT */:
        case 266 /* RETURN_CALL_INDIRECT */: {
          var fi: FuncInst, src: number, q: number;
          if (code[pc] === 265 /* RETURN_CALL_IMPORT */) {
            fi = inst.funcs[code[pc + 2]!]!;
            src = fp + code[pc + 3]!;
            q = pc + 4;
          } else {
            var el = inst.tables[code[pc + 3]!]!.elements;
            var i = s32[fp + code[pc + 4]!]! >>> 0;
            if (i >= el.length) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("undefined-element", `return_call_indirect index ${i} outside a table of ${el.length}`));
            var callee = el[i] as FuncInst | null;
            if (callee === null || callee === undefined) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("uninitialized-element", `return_call_indirect to null table element ${i}`));
            if (callee.sigId !== inst.sigIds[code[pc + 2]!]) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("indirect-call-type-mismatch"));
            fi = callee;
            src = fp + code[pc + 5]!;
            q = pc + 6;
          }
          var target = fi.instance;
          if (target === undefined) {
            // a host function: call it, then the RETURN that follows returns its results
            store._sync(fuel);
            ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
            ctx.inHost = true;
            callHost(ctx, fi, src);
            ctx.inHost = false;
            fuel = store._fuel | 0;
            pc = q + 2;
            m8 = mem.u8; m16 = mem.u16; m32 = mem.i32; m64 = mem.f64; memLen = mem.fastLength;
            if (cm.code !== code || ctx.s32 !== s32 || ctx.frames !== frames) { slow = SLOW_RELOAD; break slowPath; }
            break charge;
          }
          if (target.poisoned !== undefined) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("interrupted", `callee instance was interrupted earlier (${target.poisoned})`));
          var tcm = target.compiled, tinfo = tcm.funcInfo;
          var f = fi.defIndex << 2; // (as for CALL)
          if (tinfo[f]! < 0) {
            translateForRun(tcm, f >> 2);
            if (cm.code !== code) { slow = SLOW_RELOAD_MID; break slowPath; } // (as for CALL)
          }
          var end = fp + tinfo[f + 1 /* frame words */]!;
          if (end > wcap) {
            ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
            growFor(ctx, end, 0);
            slow = SLOW_RELOAD_MID; break slowPath;
          }
          if (src !== fp) {
            for (var k = 0, e = code[q]!; k < e; k++) s32[fp + k] = s32[src + k]!;
            if (code[q + 1] !== 0) for (var k = 0, e = code[q]! >> 1, b = fp >> 1, sb = src >> 1; k < e; k++) ctx.refs[b + k] = ctx.refs[sb + k];
          }
          var le = tinfo[f + 3 /* locals end */]!;
          for (var w = fp + tinfo[f + 2 /* locals start */]!, e = fp + (le & -2); w < e; w += 2) { s32[w] = 0; s32[w + 1] = 0; }
          if ((le & 1) !== 0) initRefLocals(ctx.refs, fp, tcm.funcs[f >> 2]!.refLocals);
          var suspend = false;
          if (--steps <= 0) {
            steps = ctx.interval | 0;
            ctx.primeSteps = 0;
            ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
            suspend = checkpoint(ctx);
          }
          if (target !== inst) {
            // this frame now returns from the target's instance: it must switch back on return
            if (frames[fsp - 1] === 0) { ctx.instStack.push(inst); frames[fsp - 1] = 1; }
            ctx.inst = target; // (its views: reloaded below)
          }
          pc = tinfo[f]!;
          if (suspend) { ctx.pc = pc; ctx.inst = target; store._sync(fuel); return 1; }
          if (target !== inst) { slow = SLOW_RELOAD; break slowPath; }
          break charge;
        }
        // ---- fused compare + branch ----------------------------------------------------------------
        case 14 /* BR_I32_EQ */: case 15 /* BR_I32_NE */: case 16 /* BR_I32_LT_S */: case 17 /* BR_I32_LT_U */: case 18 /* BR_I32_GT_S */:
        case 19 /* BR_I32_GT_U */: case 20 /* BR_I32_LE_S */: case 21 /* BR_I32_LE_U */: case 22 /* BR_I32_GE_S */: case 23 /* BR_I32_GE_U */:
        case 24 /* BR_I32_EQ_IMM */: case 25 /* BR_I32_NE_IMM */: case 26 /* BR_I32_LT_S_IMM */: case 27 /* BR_I32_LT_U_IMM */: case 28 /* BR_I32_GT_S_IMM */:
        case 29 /* BR_I32_GT_U_IMM */: case 30 /* BR_I32_LE_S_IMM */: case 31 /* BR_I32_LE_U_IMM */: case 32 /* BR_I32_GE_S_IMM */: case 33 /* BR_I32_GE_U_IMM */: {
          var op = code[pc]!;
          var a = s32[fp + code[pc + 2]!]!;
          var b = op >= 24 /* BR_I32_EQ_IMM */ ? code[pc + 3]! : s32[fp + code[pc + 3]!]!;
          var jump: boolean;
          switch (op >= 24 /* BR_I32_EQ_IMM */ ? op - 24 /* BR_I32_EQ_IMM */ : op - 14 /* BR_I32_EQ */) {
            case 0: jump = a === b; break;
            case 1: jump = a !== b; break;
            case 2: jump = a < b; break;
            case 3: jump = a >>> 0 < b >>> 0; break;
            case 4: jump = a > b; break;
            case 5: jump = a >>> 0 > b >>> 0; break;
            case 6: jump = a <= b; break;
            case 7: jump = a >>> 0 <= b >>> 0; break;
            case 8: jump = a >= b; break;
            default: jump = a >>> 0 >= b >>> 0; break;
          }
          if (jump) {
            var tg = code[pc + 4]!;
            bpc = pc; pc = tg; break taken;
          } else pc += 5;
          break charge;
        }
        case 221 /* BR_I64_EQ */: case 222 /* BR_I64_NE */: case 223 /* BR_I64_LT_S */: case 224 /* BR_I64_LT_U */: case 225 /* BR_I64_GT_S */:
        case 226 /* BR_I64_GT_U */: case 227 /* BR_I64_LE_S */: case 228 /* BR_I64_LE_U */: case 229 /* BR_I64_GE_S */: case 230 /* BR_I64_GE_U */: {
          var k = code[pc]! - 221 /* BR_I64_EQ */;
          var a = fp + code[pc + 2]!, b = fp + code[pc + 3]!;
          var al = s32[a]!, ah = s32[a + 1]!, bl = s32[b]!, bh = s32[b + 1]!;
          var jump: boolean;
          switch (k) {
            case 0: jump = al === bl && ah === bh; break;
            case 1: jump = al !== bl || ah !== bh; break;
            case 2: jump = ah < bh || (ah === bh && al >>> 0 < bl >>> 0); break;
            case 3: jump = ah >>> 0 < bh >>> 0 || (ah === bh && al >>> 0 < bl >>> 0); break;
            case 4: jump = ah > bh || (ah === bh && al >>> 0 > bl >>> 0); break;
            case 5: jump = ah >>> 0 > bh >>> 0 || (ah === bh && al >>> 0 > bl >>> 0); break;
            case 6: jump = ah < bh || (ah === bh && al >>> 0 <= bl >>> 0); break;
            case 7: jump = ah >>> 0 < bh >>> 0 || (ah === bh && al >>> 0 <= bl >>> 0); break;
            case 8: jump = ah > bh || (ah === bh && al >>> 0 >= bl >>> 0); break;
            default: jump = ah >>> 0 > bh >>> 0 || (ah === bh && al >>> 0 >= bl >>> 0); break;
          }
          if (jump) {
            var tg = code[pc + 4]!;
            bpc = pc; pc = tg; break taken;
          } else pc += 5;
          break charge;
        }
        case 231 /* BR_I64_EQZ */: case 232 /* BR_I64_NEZ */: {
          var a = fp + code[pc + 2]!;
          if (((s32[a]! | s32[a + 1]!) === 0) === (code[pc] === 231 /* BR_I64_EQZ */)) {
            var tg = code[pc + 3]!;
            bpc = pc; pc = tg; break taken;
          } else pc += 4;
          break charge;
        }
        // pair (translate/pairs.ts): the first half, then on into the second op's case at its own pc
        case 310 /* I32_ADD_IMM_THEN_ADD_IMM_BR */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + code[pc + 4]!;
          pc += 5;
        case 237 /* ADD_IMM_BR */: {
          var d = fp + code[pc + 2]!;
          var a = (s32[fp + code[pc + 3]!]! + code[pc + 4]!) | 0;
          s32[d] = a;
          var k = code[pc + 5]!;
          var b = k >= 10 ? code[pc + 6]! : s32[fp + code[pc + 6]!]!;
          var jump: boolean;
          switch (k >= 10 ? k - 10 : k) {
            case 0: jump = a === b; break;
            case 1: jump = a !== b; break;
            case 2: jump = a < b; break;
            case 3: jump = a >>> 0 < b >>> 0; break;
            case 4: jump = a > b; break;
            case 5: jump = a >>> 0 > b >>> 0; break;
            case 6: jump = a <= b; break;
            case 7: jump = a >>> 0 <= b >>> 0; break;
            case 8: jump = a >= b; break;
            default: jump = a >>> 0 >= b >>> 0; break;
          }
          if (jump) {
            var tg = code[pc + 7]!;
            bpc = pc; pc = tg; break taken;
          } else pc += 8;
          break charge;
        }
        // pair (translate/pairs.ts): the first half, then on into the second op's case at its own pc
        case 311 /* I32_ADD_THEN_I64_ADD_BR */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + s32[fp + code[pc + 4]!]!;
          pc += 5;
        case 253 /* I64_ADD_BR */: case 254 /* I64_ADD_IMM_BR */: {
          // d = a + b (b a slot, or the immediate lo hi); jump if d OP c
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
          var bl: number, bh: number, q: number;
          if (code[pc] === 253 /* I64_ADD_BR */) {
            var b = fp + code[pc + 4]!;
            bl = s32[b]!; bh = s32[b + 1]!; q = pc + 5;
          } else {
            bl = code[pc + 4]!; bh = code[pc + 5]!; q = pc + 6;
          }
          var al = s32[a]!, lo = (al + bl) | 0;
          var hi = (s32[a + 1]! + bh + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0;
          s32[d] = lo;
          s32[d + 1] = hi;
          var c = fp + code[q + 1]!;
          var cl = s32[c]!, ch = s32[c + 1]!;
          var jump: boolean;
          switch (code[q]) {
            case 0: jump = lo === cl && hi === ch; break;
            case 1: jump = lo !== cl || hi !== ch; break;
            case 2: jump = hi < ch || (hi === ch && lo >>> 0 < cl >>> 0); break;
            case 3: jump = hi >>> 0 < ch >>> 0 || (hi === ch && lo >>> 0 < cl >>> 0); break;
            case 4: jump = hi > ch || (hi === ch && lo >>> 0 > cl >>> 0); break;
            case 5: jump = hi >>> 0 > ch >>> 0 || (hi === ch && lo >>> 0 > cl >>> 0); break;
            case 6: jump = hi < ch || (hi === ch && lo >>> 0 <= cl >>> 0); break;
            case 7: jump = hi >>> 0 < ch >>> 0 || (hi === ch && lo >>> 0 <= cl >>> 0); break;
            case 8: jump = hi > ch || (hi === ch && lo >>> 0 >= cl >>> 0); break;
            default: jump = hi >>> 0 > ch >>> 0 || (hi === ch && lo >>> 0 >= cl >>> 0); break;
          }
          if (jump) {
            var tg = code[q + 2]!;
            bpc = pc; pc = tg; break taken;
          } else pc = q + 3;
          break charge;
        }
        // ---- moves, constants, references, globals ----------------------------------------------
        case 34 /* MOV */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
          s32[d] = s32[a]!;
          s32[d + 1] = s32[a + 1]!;
          pc += 4;
          continue;
        }
        // ---- pairs (translate/pairs.ts): two ops in one dispatch, the second's words in place; the
        // pairs whose second op can trap or branch run its own case (the fall-throughs above its case) ----
        case 300 /* MOV2 */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
          s32[d] = s32[a]!;
          s32[d + 1] = s32[a + 1]!;
          d = fp + code[pc + 6]!; a = fp + code[pc + 7]!;
          s32[d] = s32[a]!;
          s32[d + 1] = s32[a + 1]!;
          pc += 8;
          continue;
        }
        case 301 /* I32_ADD_IMM2 */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + code[pc + 4]!;
          s32[fp + code[pc + 7]!] = s32[fp + code[pc + 8]!]! + code[pc + 9]!;
          pc += 10;
          continue;
        case 302 /* I32_ADD2 */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + s32[fp + code[pc + 4]!]!;
          s32[fp + code[pc + 7]!] = s32[fp + code[pc + 8]!]! + s32[fp + code[pc + 9]!]!;
          pc += 10;
          continue;
        case 319 /* I32_SHL_IMM_THEN_I32_ADD_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! << code[pc + 4]!;
          s32[fp + code[pc + 7]!] = s32[fp + code[pc + 8]!]! + code[pc + 9]!;
          pc += 10;
          continue;
        case 320 /* I32_ADD_IMM_THEN_I32_ADD */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + code[pc + 4]!;
          s32[fp + code[pc + 7]!] = s32[fp + code[pc + 8]!]! + s32[fp + code[pc + 9]!]!;
          pc += 10;
          continue;
        case 321 /* I32_ADD_THEN_I32_GT_U_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + s32[fp + code[pc + 4]!]!;
          s32[fp + code[pc + 7]!] = s32[fp + code[pc + 8]!]! >>> 0 > code[pc + 9]! >>> 0 ? 1 : 0;
          pc += 10;
          continue;
        case 303 /* I32_SHL_IMM_THEN_I32_XOR */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! << code[pc + 4]!;
          s32[fp + code[pc + 7]!] = s32[fp + code[pc + 8]!]! ^ s32[fp + code[pc + 9]!]!;
          pc += 10;
          continue;
        case 304 /* I32_ROTL_IMM_THEN_I32_XOR */: {
          var a = s32[fp + code[pc + 3]!]!, b = code[pc + 4]!;
          s32[fp + code[pc + 2]!] = (a << b) | (a >>> (32 - b));
          s32[fp + code[pc + 7]!] = s32[fp + code[pc + 8]!]! ^ s32[fp + code[pc + 9]!]!;
          pc += 10;
          continue;
        }
        case 305 /* I32_SHR_U_IMM_THEN_I32_XOR */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> code[pc + 4]!;
          s32[fp + code[pc + 7]!] = s32[fp + code[pc + 8]!]! ^ s32[fp + code[pc + 9]!]!;
          pc += 10;
          continue;
        case 306 /* I32_MUL_IMM_THEN_I32_ADD */:
          s32[fp + code[pc + 2]!] = Math.imul(s32[fp + code[pc + 3]!]!, code[pc + 4]!);
          s32[fp + code[pc + 7]!] = s32[fp + code[pc + 8]!]! + s32[fp + code[pc + 9]!]!;
          pc += 10;
          continue;
        case 307 /* F64_MUL2 */:
          f64[(fp + code[pc + 2]!) >> 1] = f64[(fp + code[pc + 3]!) >> 1]! * f64[(fp + code[pc + 4]!) >> 1]!;
          f64[(fp + code[pc + 7]!) >> 1] = f64[(fp + code[pc + 8]!) >> 1]! * f64[(fp + code[pc + 9]!) >> 1]!;
          pc += 10;
          continue;
        case 36 /* CONST32 */:
          s32[fp + code[pc + 2]!] = code[pc + 3]!;
          pc += 4;
          continue;
        case 37 /* CONST64 */: {
          var d = fp + code[pc + 2]!;
          s32[d] = code[pc + 3]!;
          s32[d + 1] = code[pc + 4]!;
          pc += 5;
          continue;
        }
        case 41 /* SELECT */: {
          var d = fp + code[pc + 2]!;
          var a = s32[fp + code[pc + 5]!] !== 0 ? fp + code[pc + 3]! : fp + code[pc + 4]!;
          var lo = s32[a]!, hi = s32[a + 1]!;
          s32[d] = lo;
          s32[d + 1] = hi;
          pc += 6;
          continue;
        }
        case 43 /* GLOBAL_GET */: {
          var d = fp + code[pc + 2]!, g = globals[code[pc + 3]!]!.w;
          s32[d] = g[0]!;
          s32[d + 1] = g[1]!;
          pc += 4;
          continue;
        }
        case 44 /* GLOBAL_SET */: {
          var g = globals[code[pc + 2]!]!.w, a = fp + code[pc + 3]!;
          g[0] = s32[a]!;
          g[1] = s32[a + 1]!;
          pc += 4;
          continue;
        }
        // ---- i32 -------------------------------------------------------------------------------
        // pair (translate/pairs.ts): the first half, then on into the second op's case at its own pc
        case 314 /* I32_MUL_THEN_I32_ADD */:
          s32[fp + code[pc + 2]!] = Math.imul(s32[fp + code[pc + 3]!]!, s32[fp + code[pc + 4]!]!);
          pc += 5;
        case 47 /* I32_ADD */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + s32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 48 /* I32_SUB */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! - s32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 49 /* I32_MUL */:
          s32[fp + code[pc + 2]!] = Math.imul(s32[fp + code[pc + 3]!]!, s32[fp + code[pc + 4]!]!);
          pc += 5;
          continue;
        case 50 /* I32_DIV_S */: {
          var a = s32[fp + code[pc + 3]!]!, b = s32[fp + code[pc + 4]!]!;
          if (b === 0) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("integer-divide-by-zero"));
          if (b === -1 && a === -2147483648) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("integer-overflow"));
          s32[fp + code[pc + 2]!] = (a / b) | 0;
          pc += 5;
          continue;
        }
        case 51 /* I32_DIV_U */: {
          var a = s32[fp + code[pc + 3]!]! >>> 0, b = s32[fp + code[pc + 4]!]! >>> 0;
          if (b === 0) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("integer-divide-by-zero"));
          s32[fp + code[pc + 2]!] = (a / b) >>> 0;
          pc += 5;
          continue;
        }
        case 52 /* I32_REM_S */: {
          var a = s32[fp + code[pc + 3]!]!, b = s32[fp + code[pc + 4]!]!;
          if (b === 0) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("integer-divide-by-zero"));
          s32[fp + code[pc + 2]!] = a % b;
          pc += 5;
          continue;
        }
        case 53 /* I32_REM_U */: {
          var a = s32[fp + code[pc + 3]!]! >>> 0, b = s32[fp + code[pc + 4]!]! >>> 0;
          if (b === 0) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("integer-divide-by-zero"));
          s32[fp + code[pc + 2]!] = a % b;
          pc += 5;
          continue;
        }
        case 54 /* I32_AND */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! & s32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 55 /* I32_OR */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! | s32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 56 /* I32_XOR */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! ^ s32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 57 /* I32_SHL */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! << s32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 58 /* I32_SHR_S */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >> s32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 59 /* I32_SHR_U */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> s32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 60 /* I32_ROTL */: {
          var a = s32[fp + code[pc + 3]!]!, b = s32[fp + code[pc + 4]!]! & 31;
          s32[fp + code[pc + 2]!] = (a << b) | (a >>> (32 - b));
          pc += 5;
          continue;
        }
        case 61 /* I32_ROTR */: {
          var a = s32[fp + code[pc + 3]!]!, b = s32[fp + code[pc + 4]!]! & 31;
          s32[fp + code[pc + 2]!] = (a >>> b) | (a << (32 - b));
          pc += 5;
          continue;
        }
        case 62 /* I32_EQ */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!] === s32[fp + code[pc + 4]!] ? 1 : 0;
          pc += 5;
          continue;
        case 63 /* I32_NE */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!] !== s32[fp + code[pc + 4]!] ? 1 : 0;
          pc += 5;
          continue;
        case 64 /* I32_LT_S */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! < s32[fp + code[pc + 4]!]! ? 1 : 0;
          pc += 5;
          continue;
        case 65 /* I32_LT_U */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> 0 < s32[fp + code[pc + 4]!]! >>> 0 ? 1 : 0;
          pc += 5;
          continue;
        case 66 /* I32_GT_S */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! > s32[fp + code[pc + 4]!]! ? 1 : 0;
          pc += 5;
          continue;
        case 67 /* I32_GT_U */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> 0 > s32[fp + code[pc + 4]!]! >>> 0 ? 1 : 0;
          pc += 5;
          continue;
        case 68 /* I32_LE_S */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! <= s32[fp + code[pc + 4]!]! ? 1 : 0;
          pc += 5;
          continue;
        case 69 /* I32_LE_U */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> 0 <= s32[fp + code[pc + 4]!]! >>> 0 ? 1 : 0;
          pc += 5;
          continue;
        case 70 /* I32_GE_S */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >= s32[fp + code[pc + 4]!]! ? 1 : 0;
          pc += 5;
          continue;
        case 71 /* I32_GE_U */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> 0 >= s32[fp + code[pc + 4]!]! >>> 0 ? 1 : 0;
          pc += 5;
          continue;
        case 72 /* I32_ADD_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + code[pc + 4]!;
          pc += 5;
          continue;
        case 73 /* I32_MUL_IMM */:
          s32[fp + code[pc + 2]!] = Math.imul(s32[fp + code[pc + 3]!]!, code[pc + 4]!);
          pc += 5;
          continue;
        // pair (translate/pairs.ts): the first half, then on into the second op's case at its own pc
        case 315 /* I32_SHR_U_IMM_THEN_I32_AND_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> code[pc + 4]!;
          pc += 5;
        case 74 /* I32_AND_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! & code[pc + 4]!;
          pc += 5;
          continue;
        case 75 /* I32_OR_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! | code[pc + 4]!;
          pc += 5;
          continue;
        case 76 /* I32_XOR_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! ^ code[pc + 4]!;
          pc += 5;
          continue;
        case 77 /* I32_SHL_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! << code[pc + 4]!;
          pc += 5;
          continue;
        case 78 /* I32_SHR_S_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >> code[pc + 4]!;
          pc += 5;
          continue;
        case 79 /* I32_SHR_U_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> code[pc + 4]!;
          pc += 5;
          continue;
        case 80 /* I32_ROTL_IMM */: {
          var a = s32[fp + code[pc + 3]!]!, b = code[pc + 4]!;
          s32[fp + code[pc + 2]!] = (a << b) | (a >>> (32 - b));
          pc += 5;
          continue;
        }
        case 81 /* I32_EQ_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!] === code[pc + 4] ? 1 : 0;
          pc += 5;
          continue;
        case 82 /* I32_NE_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!] !== code[pc + 4] ? 1 : 0;
          pc += 5;
          continue;
        case 83 /* I32_LT_S_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! < code[pc + 4]! ? 1 : 0;
          pc += 5;
          continue;
        case 84 /* I32_LT_U_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> 0 < code[pc + 4]! >>> 0 ? 1 : 0;
          pc += 5;
          continue;
        case 85 /* I32_GT_S_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! > code[pc + 4]! ? 1 : 0;
          pc += 5;
          continue;
        case 86 /* I32_GT_U_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> 0 > code[pc + 4]! >>> 0 ? 1 : 0;
          pc += 5;
          continue;
        case 87 /* I32_LE_S_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! <= code[pc + 4]! ? 1 : 0;
          pc += 5;
          continue;
        case 88 /* I32_LE_U_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> 0 <= code[pc + 4]! >>> 0 ? 1 : 0;
          pc += 5;
          continue;
        case 89 /* I32_GE_S_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >= code[pc + 4]! ? 1 : 0;
          pc += 5;
          continue;
        case 90 /* I32_GE_U_IMM */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> 0 >= code[pc + 4]! >>> 0 ? 1 : 0;
          pc += 5;
          continue;
        case 91 /* I32_SUB_FROM_IMM */:
          s32[fp + code[pc + 2]!] = code[pc + 4]! - s32[fp + code[pc + 3]!]!;
          pc += 5;
          continue;
        case 92 /* I32_EQZ */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!] === 0 ? 1 : 0;
          pc += 4;
          continue;
        case 93 /* I32_CLZ */:
          s32[fp + code[pc + 2]!] = Math.clz32(s32[fp + code[pc + 3]!]!);
          pc += 4;
          continue;
        case 94 /* I32_CTZ */: {
          var a = s32[fp + code[pc + 3]!]!;
          s32[fp + code[pc + 2]!] = a === 0 ? 32 : 31 - Math.clz32(a & -a);
          pc += 4;
          continue;
        }
        case 95 /* I32_POPCNT */: {
          var a = s32[fp + code[pc + 3]!]!;
          a = a - ((a >>> 1) & 0x55555555);
          a = (a & 0x33333333) + ((a >>> 2) & 0x33333333);
          s32[fp + code[pc + 2]!] = Math.imul((a + (a >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
          pc += 4;
          continue;
        }
        case 96 /* I32_EXTEND8_S */:
          s32[fp + code[pc + 2]!] = (s32[fp + code[pc + 3]!]! << 24) >> 24;
          pc += 4;
          continue;
        case 97 /* I32_EXTEND16_S */:
          s32[fp + code[pc + 2]!] = (s32[fp + code[pc + 3]!]! << 16) >> 16;
          pc += 4;
          continue;
        // ---- i64 on 32-bit halves ------------------------------------------------------------------
        case 98 /* I64_ADD */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          var al = s32[a]!, lo = (al + s32[b]!) | 0;
          var hi = (s32[a + 1]! + s32[b + 1]! + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0;
          s32[d] = lo;
          s32[d + 1] = hi;
          pc += 5;
          continue;
        }
        case 99 /* I64_SUB */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          var al = s32[a]!, bl = s32[b]!;
          var hi = (s32[a + 1]! - s32[b + 1]! - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0;
          s32[d] = (al - bl) | 0;
          s32[d + 1] = hi;
          pc += 5;
          continue;
        }
        case 100 /* I64_MUL */: case 124 /* I64_MUL_IMM */: {
          // b a slot, or the immediate lo hi. The high word of al * bl is numeric/i64.ts `mulHiU32`
          // written out (as the SIMD helpers below): V8 inlines a helper only at a call that ran
          // often in each run of the loop, and a loop compiled from the primer's feedback alone
          // (execute/prime.ts: a realm's second guest) called it. Each sum wrapped: no int32
          // overflow check (the products of 16-bit halves are typed below 2^32)
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
          var bl: number, bh: number;
          if (code[pc] === 100 /* I64_MUL */) {
            var b = fp + code[pc + 4]!;
            bl = s32[b]!; bh = s32[b + 1]!; pc += 5;
          } else {
            bl = code[pc + 4]!; bh = code[pc + 5]!; pc += 6;
          }
          var al = s32[a]!, ah = s32[a + 1]!;
          var x0 = al & 0xffff, x1 = al >>> 16, y0 = bl & 0xffff, y1 = bl >>> 16, p01 = x0 * y1, p10 = x1 * y0;
          var mid = ((x0 * y0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
          var mh = (x1 * y1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
          s32[d + 1] = (((mh + Math.imul(al, bh)) | 0) + Math.imul(ah, bl)) | 0;
          s32[d] = Math.imul(al, bl);
          continue;
        }
        case 102 /* I64_DIV_U */:
          {
            var b = fp + code[pc + 4]!;
            if ((s32[b]! | s32[b + 1]!) === 0) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("integer-divide-by-zero"));
          }
          {
            var b = fp + code[pc + 4]!, dl = s32[b]! >>> 0;
            if (s32[b + 1] === 0 && dl <= 0x200000) {
              // divisor below 2^21: two exact double divisions
              var a = fp + code[pc + 3]!, nh = s32[a + 1]! >>> 0, nl = s32[a]! >>> 0;
              var q1 = Math.floor(nh / dl);
              var m = (nh - q1 * dl) * 4294967296 + nl;
              var q0 = Math.floor(m / dl);
              var d = fp + code[pc + 2]!;
              s32[d] = q0; s32[d + 1] = q1;
              pc += 5;
              continue;
            }
          }
          i64DivU(s32, fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!);
          pc += 5;
          continue;
        case 104 /* I64_REM_U */:
          {
            var b = fp + code[pc + 4]!;
            if ((s32[b]! | s32[b + 1]!) === 0) trapAt(ctx, pc, fp, fsp, inst, steps, fuel, new RuntimeError("integer-divide-by-zero"));
          }
          {
            var b = fp + code[pc + 4]!, dl = s32[b]! >>> 0;
            if (s32[b + 1] === 0 && dl <= 0x200000) {
              // divisor below 2^21: two exact double divisions
              var a = fp + code[pc + 3]!, nh = s32[a + 1]! >>> 0, nl = s32[a]! >>> 0;
              var q1 = Math.floor(nh / dl);
              var m = (nh - q1 * dl) * 4294967296 + nl;
              var q0 = Math.floor(m / dl);
              var d = fp + code[pc + 2]!;
              s32[d] = m - q0 * dl; s32[d + 1] = 0;
              pc += 5;
              continue;
            }
          }
          i64RemU(s32, fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!);
          pc += 5;
          continue;
        case 105 /* I64_AND */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          s32[d] = s32[a]! & s32[b]!;
          s32[d + 1] = s32[a + 1]! & s32[b + 1]!;
          pc += 5;
          continue;
        }
        case 106 /* I64_OR */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          s32[d] = s32[a]! | s32[b]!;
          s32[d + 1] = s32[a + 1]! | s32[b + 1]!;
          pc += 5;
          continue;
        }
        case 107 /* I64_XOR */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          s32[d] = s32[a]! ^ s32[b]!;
          s32[d + 1] = s32[a + 1]! ^ s32[b + 1]!;
          pc += 5;
          continue;
        }
        case 108 /* I64_SHL */:
          i64Shl(s32, fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!);
          pc += 5;
          continue;
        case 109 /* I64_SHR_S */:
          i64ShrS(s32, fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!);
          pc += 5;
          continue;
        case 110 /* I64_SHR_U */:
          i64ShrU(s32, fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!);
          pc += 5;
          continue;
        case 113 /* I64_EQ */: {
          var a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          s32[fp + code[pc + 2]!] = s32[a] === s32[b] && s32[a + 1] === s32[b + 1] ? 1 : 0;
          pc += 5;
          continue;
        }
        case 114 /* I64_NE */: {
          var a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          s32[fp + code[pc + 2]!] = s32[a] !== s32[b] || s32[a + 1] !== s32[b + 1] ? 1 : 0;
          pc += 5;
          continue;
        }
        case 115 /* I64_LT_S */: case 116 /* I64_LT_U */: case 117 /* I64_GT_S */: case 118 /* I64_GT_U */:
        case 119 /* I64_LE_S */: case 120 /* I64_LE_U */: case 121 /* I64_GE_S */: case 122 /* I64_GE_U */: {
          var k = code[pc]! - 115 /* I64_LT_S */;
          var a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          var al = s32[a]!, ah = s32[a + 1]!, bl = s32[b]!, bh = s32[b + 1]!;
          var r: boolean;
          switch (k) {
            case 0: r = ah < bh || (ah === bh && al >>> 0 < bl >>> 0); break;
            case 1: r = ah >>> 0 < bh >>> 0 || (ah === bh && al >>> 0 < bl >>> 0); break;
            case 2: r = ah > bh || (ah === bh && al >>> 0 > bl >>> 0); break;
            case 3: r = ah >>> 0 > bh >>> 0 || (ah === bh && al >>> 0 > bl >>> 0); break;
            case 4: r = ah < bh || (ah === bh && al >>> 0 <= bl >>> 0); break;
            case 5: r = ah >>> 0 < bh >>> 0 || (ah === bh && al >>> 0 <= bl >>> 0); break;
            case 6: r = ah > bh || (ah === bh && al >>> 0 >= bl >>> 0); break;
            default: r = ah >>> 0 > bh >>> 0 || (ah === bh && al >>> 0 >= bl >>> 0); break;
          }
          s32[fp + code[pc + 2]!] = r ? 1 : 0;
          pc += 5;
          continue;
        }
        case 123 /* I64_ADD_IMM */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
          var al = s32[a]!, lo = (al + code[pc + 4]!) | 0;
          var hi = (s32[a + 1]! + code[pc + 5]! + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0;
          s32[d] = lo;
          s32[d + 1] = hi;
          pc += 6;
          continue;
        }
        case 125 /* I64_AND_IMM */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
          s32[d] = s32[a]! & code[pc + 4]!;
          s32[d + 1] = s32[a + 1]! & code[pc + 5]!;
          pc += 6;
          continue;
        }
        case 126 /* I64_SHL_IMM */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, k = code[pc + 4]!;
          var al = s32[a]!, ah = s32[a + 1]!;
          if (k === 0) { s32[d] = al; s32[d + 1] = ah; }
          else if (k < 32) { s32[d + 1] = (ah << k) | (al >>> (32 - k)); s32[d] = al << k; }
          else { s32[d + 1] = al << (k - 32); s32[d] = 0; }
          pc += 6;
          continue;
        }
        case 127 /* I64_SHR_U_IMM */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, k = code[pc + 4]!;
          var al = s32[a]!, ah = s32[a + 1]!;
          if (k === 0) { s32[d] = al; s32[d + 1] = ah; }
          else if (k < 32) { s32[d] = (al >>> k) | (ah << (32 - k)); s32[d + 1] = ah >>> k; }
          else { s32[d] = ah >>> (k - 32); s32[d + 1] = 0; }
          pc += 6;
          continue;
        }
        case 297 /* I64_ROTL_IMM */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, k = code[pc + 4]!; // 1 <= k <= 31
          var al = s32[a]!, ah = s32[a + 1]!;
          s32[d] = (al << k) | (ah >>> (32 - k));
          s32[d + 1] = (ah << k) | (al >>> (32 - k));
          pc += 5;
          continue;
        }
        case 299 /* I64_ROT32 */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
          var al = s32[a]!, ah = s32[a + 1]!;
          s32[d] = ah;
          s32[d + 1] = al;
          pc += 4;
          continue;
        }
        case 298 /* I64_ROTR_IMM */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, k = code[pc + 4]!; // 1 <= k <= 31
          var al = s32[a]!, ah = s32[a + 1]!;
          s32[d] = (al >>> k) | (ah << (32 - k));
          s32[d + 1] = (ah >>> k) | (al << (32 - k));
          pc += 5;
          continue;
        }
        case 128 /* I64_SHR_S_IMM */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, k = code[pc + 4]!;
          var al = s32[a]!, ah = s32[a + 1]!;
          if (k === 0) { s32[d] = al; s32[d + 1] = ah; }
          else if (k < 32) { s32[d] = (al >>> k) | (ah << (32 - k)); s32[d + 1] = ah >> k; }
          else { s32[d] = ah >> (k - 32); s32[d + 1] = ah >> 31; }
          pc += 6;
          continue;
        }
        case 129 /* I64_EQZ */: {
          var a = fp + code[pc + 3]!;
          s32[fp + code[pc + 2]!] = (s32[a]! | s32[a + 1]!) === 0 ? 1 : 0;
          pc += 4;
          continue;
        }
        case 133 /* I64_EXTEND8_S */: {
          var d = fp + code[pc + 2]!, v = (s32[fp + code[pc + 3]!]! << 24) >> 24;
          s32[d] = v;
          s32[d + 1] = v >> 31;
          pc += 4;
          continue;
        }
        case 134 /* I64_EXTEND16_S */: {
          var d = fp + code[pc + 2]!, v = (s32[fp + code[pc + 3]!]! << 16) >> 16;
          s32[d] = v;
          s32[d + 1] = v >> 31;
          pc += 4;
          continue;
        }
        case 135 /* I64_EXTEND32_S */:
        case 137 /* I64_EXTEND_I32_S */: {
          var d = fp + code[pc + 2]!, v = s32[fp + code[pc + 3]!]!;
          s32[d] = v;
          s32[d + 1] = v >> 31;
          pc += 4;
          continue;
        }
        case 136 /* I32_WRAP_I64 */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]!;
          pc += 4;
          continue;
        case 138 /* I64_EXTEND_I32_U */: {
          var d = fp + code[pc + 2]!;
          s32[d] = s32[fp + code[pc + 3]!]!;
          s32[d + 1] = 0;
          pc += 4;
          continue;
        }
        // ---- f32 (values in the low word; arithmetic through the Float32Array view) ----------------
        case 139 /* F32_ADD */:
          f32[fp + code[pc + 2]!] = f32[fp + code[pc + 3]!]! + f32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 140 /* F32_SUB */:
          f32[fp + code[pc + 2]!] = f32[fp + code[pc + 3]!]! - f32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 141 /* F32_MUL */:
          f32[fp + code[pc + 2]!] = f32[fp + code[pc + 3]!]! * f32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 142 /* F32_DIV */:
          f32[fp + code[pc + 2]!] = f32[fp + code[pc + 3]!]! / f32[fp + code[pc + 4]!]!;
          pc += 5;
          continue;
        case 145 /* F32_COPYSIGN */:
          s32[fp + code[pc + 2]!] = (s32[fp + code[pc + 3]!]! & 0x7fffffff) | (s32[fp + code[pc + 4]!]! & -0x80000000);
          pc += 5;
          continue;
        case 146 /* F32_EQ */:
          s32[fp + code[pc + 2]!] = f32[fp + code[pc + 3]!] === f32[fp + code[pc + 4]!] ? 1 : 0;
          pc += 5;
          continue;
        case 147 /* F32_NE */:
          s32[fp + code[pc + 2]!] = f32[fp + code[pc + 3]!] !== f32[fp + code[pc + 4]!] ? 1 : 0;
          pc += 5;
          continue;
        case 148 /* F32_LT */:
          s32[fp + code[pc + 2]!] = f32[fp + code[pc + 3]!]! < f32[fp + code[pc + 4]!]! ? 1 : 0;
          pc += 5;
          continue;
        case 149 /* F32_GT */:
          s32[fp + code[pc + 2]!] = f32[fp + code[pc + 3]!]! > f32[fp + code[pc + 4]!]! ? 1 : 0;
          pc += 5;
          continue;
        case 150 /* F32_LE */:
          s32[fp + code[pc + 2]!] = f32[fp + code[pc + 3]!]! <= f32[fp + code[pc + 4]!]! ? 1 : 0;
          pc += 5;
          continue;
        case 151 /* F32_GE */:
          s32[fp + code[pc + 2]!] = f32[fp + code[pc + 3]!]! >= f32[fp + code[pc + 4]!]! ? 1 : 0;
          pc += 5;
          continue;
        case 152 /* F32_ABS */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! & 0x7fffffff;
          pc += 4;
          continue;
        case 153 /* F32_NEG */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! ^ -0x80000000;
          pc += 4;
          continue;
        // ---- f64 (slot index = word >> 1) ---------------------------------------------------------
        case 159 /* F64_ADD */:
          f64[(fp + code[pc + 2]!) >> 1] = f64[(fp + code[pc + 3]!) >> 1]! + f64[(fp + code[pc + 4]!) >> 1]!;
          pc += 5;
          continue;
        case 160 /* F64_SUB */:
          f64[(fp + code[pc + 2]!) >> 1] = f64[(fp + code[pc + 3]!) >> 1]! - f64[(fp + code[pc + 4]!) >> 1]!;
          pc += 5;
          continue;
        case 161 /* F64_MUL */:
          f64[(fp + code[pc + 2]!) >> 1] = f64[(fp + code[pc + 3]!) >> 1]! * f64[(fp + code[pc + 4]!) >> 1]!;
          pc += 5;
          continue;
        case 162 /* F64_DIV */:
          f64[(fp + code[pc + 2]!) >> 1] = f64[(fp + code[pc + 3]!) >> 1]! / f64[(fp + code[pc + 4]!) >> 1]!;
          pc += 5;
          continue;
        case 165 /* F64_COPYSIGN */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
          var hi = (s32[a + 1]! & 0x7fffffff) | (s32[fp + code[pc + 4]! + 1]! & -0x80000000);
          s32[d] = s32[a]!;
          s32[d + 1] = hi;
          pc += 5;
          continue;
        }
        case 252 /* F64_MUL_ADD */:
          f64[(fp + code[pc + 2]!) >> 1] = f64[(fp + code[pc + 3]!) >> 1]! * f64[(fp + code[pc + 4]!) >> 1]! + f64[(fp + code[pc + 5]!) >> 1]!;
          pc += 6;
          continue;
        // pair (translate/pairs.ts) in one case: a multiply-add, then an add (a dot product unrolled
        // by two: matmul's inner loop, nbody)
        case 322 /* F64_MUL_ADD_THEN_F64_ADD */:
          f64[(fp + code[pc + 2]!) >> 1] = f64[(fp + code[pc + 3]!) >> 1]! * f64[(fp + code[pc + 4]!) >> 1]! + f64[(fp + code[pc + 5]!) >> 1]!;
          f64[(fp + code[pc + 8]!) >> 1] = f64[(fp + code[pc + 9]!) >> 1]! + f64[(fp + code[pc + 10]!) >> 1]!;
          pc += 11;
          continue;
        case 166 /* F64_EQ */:
          s32[fp + code[pc + 2]!] = f64[(fp + code[pc + 3]!) >> 1] === f64[(fp + code[pc + 4]!) >> 1] ? 1 : 0;
          pc += 5;
          continue;
        case 167 /* F64_NE */:
          s32[fp + code[pc + 2]!] = f64[(fp + code[pc + 3]!) >> 1] !== f64[(fp + code[pc + 4]!) >> 1] ? 1 : 0;
          pc += 5;
          continue;
        case 168 /* F64_LT */:
          s32[fp + code[pc + 2]!] = f64[(fp + code[pc + 3]!) >> 1]! < f64[(fp + code[pc + 4]!) >> 1]! ? 1 : 0;
          pc += 5;
          continue;
        case 169 /* F64_GT */:
          s32[fp + code[pc + 2]!] = f64[(fp + code[pc + 3]!) >> 1]! > f64[(fp + code[pc + 4]!) >> 1]! ? 1 : 0;
          pc += 5;
          continue;
        case 170 /* F64_LE */:
          s32[fp + code[pc + 2]!] = f64[(fp + code[pc + 3]!) >> 1]! <= f64[(fp + code[pc + 4]!) >> 1]! ? 1 : 0;
          pc += 5;
          continue;
        case 171 /* F64_GE */:
          s32[fp + code[pc + 2]!] = f64[(fp + code[pc + 3]!) >> 1]! >= f64[(fp + code[pc + 4]!) >> 1]! ? 1 : 0;
          pc += 5;
          continue;
        case 172 /* F64_ABS */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
          s32[d] = s32[a]!;
          s32[d + 1] = s32[a + 1]! & 0x7fffffff;
          pc += 4;
          continue;
        }
        case 173 /* F64_NEG */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!;
          s32[d] = s32[a]!;
          s32[d + 1] = s32[a + 1]! ^ -0x80000000;
          pc += 4;
          continue;
        }
        case 178 /* F64_SQRT */:
          // numeric/float.ts `f64Sqrt` written out (the canonical NaN for a NaN; see I64_MUL)
          var x = f64[(fp + code[pc + 3]!) >> 1]!;
          f64[(fp + code[pc + 2]!) >> 1] = x !== x ? NaN : Math.sqrt(x);
          pc += 4;
          continue;
        // ---- conversions ---------------------------------------------------------------------------
        case 187 /* F32_CONVERT_I32_S */:
          f32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]!;
          pc += 4;
          continue;
        case 188 /* F32_CONVERT_I32_U */:
          f32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! >>> 0;
          pc += 4;
          continue;
        case 192 /* F64_CONVERT_I32_S */:
          f64[(fp + code[pc + 2]!) >> 1] = s32[fp + code[pc + 3]!]!;
          pc += 4;
          continue;
        case 193 /* F64_CONVERT_I32_U */:
          f64[(fp + code[pc + 2]!) >> 1] = s32[fp + code[pc + 3]!]! >>> 0;
          pc += 4;
          continue;
        case 196 /* F64_PROMOTE_F32 */:
          f64[(fp + code[pc + 2]!) >> 1] = f32[fp + code[pc + 3]!]!;
          pc += 4;
          continue;
        // ---- loads: d a c offset ----------------------------------------------------------------------
        // pair (translate/pairs.ts): the first half, then on into the second op's case at its own pc
        case 309 /* I32_SHL_IMM_THEN_LOAD32 */:
          s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! << code[pc + 4]!;
          pc += 5;
        case 205 /* LOAD32 */: {
          var ea = ((s32[fp + code[pc + 3]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 4 > memLen) break outOfLine;
          if ((ea & 3) !== 0) break outOfLine;
          s32[fp + code[pc + 2]!] = m32[ea >>> 2]!;
          pc += 6;
          continue;
        }
        // pairs (translate/pairs.ts): an f64 multiply or an add (the address: matmul's row + column,
        // fft), then on into LOAD64's case at its own pc
        case 308 /* F64_MUL_THEN_LOAD64 */: case 323 /* I32_ADD_THEN_LOAD64 */:
          if (code[pc] === 323 /* I32_ADD_THEN_LOAD64 */) s32[fp + code[pc + 2]!] = s32[fp + code[pc + 3]!]! + s32[fp + code[pc + 4]!]!;
          else f64[(fp + code[pc + 2]!) >> 1] = f64[(fp + code[pc + 3]!) >> 1]! * f64[(fp + code[pc + 4]!) >> 1]!;
          pc += 5;
        case 206 /* LOAD64 */: {
          var ea = ((s32[fp + code[pc + 3]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 8 > memLen) break outOfLine;
          var d = fp + code[pc + 2]!;
          if ((ea & 7) === 0) {
            // one 64-bit move: an f64 op reading the slot whole after two 32-bit stores waits for them
            // (no store-to-load forwarding; matmul, nbody -10 %). Typed-array moves keep all 64 bits, NaNs too
            f64[d >> 1] = m64[ea >>> 3]!;
            pc += 6;
            continue;
          }
          if ((ea & 3) !== 0) break outOfLine;
          var q = ea >>> 2;
          s32[d] = m32[q]!;
          s32[d + 1] = m32[q + 1]!;
          pc += 6;
          continue;
        }
        case 207 /* I32_LOAD8_S */: {
          var ea = ((s32[fp + code[pc + 3]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 1 > memLen) break outOfLine;
          s32[fp + code[pc + 2]!] = (m8[ea]! << 24) >> 24;
          pc += 6;
          continue;
        }
        case 208 /* I32_LOAD8_U */: {
          var ea = ((s32[fp + code[pc + 3]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 1 > memLen) break outOfLine;
          s32[fp + code[pc + 2]!] = m8[ea]!;
          pc += 6;
          continue;
        }
        case 209 /* I32_LOAD16_S */: {
          var ea = ((s32[fp + code[pc + 3]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 2 > memLen) break outOfLine;
          if ((ea & 1) !== 0) break outOfLine;
          s32[fp + code[pc + 2]!] = (m16[ea >>> 1]! << 16) >> 16;
          pc += 6;
          continue;
        }
        case 210 /* I32_LOAD16_U */: {
          var ea = ((s32[fp + code[pc + 3]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 2 > memLen) break outOfLine;
          if ((ea & 1) !== 0) break outOfLine;
          s32[fp + code[pc + 2]!] = m16[ea >>> 1]!;
          pc += 6;
          continue;
        }
        case 211 /* I64_LOAD8_S */: case 212 /* I64_LOAD8_U */: case 213 /* I64_LOAD16_S */: case 214 /* I64_LOAD16_U */: {
          var op = code[pc]!;
          var ea = ((s32[fp + code[pc + 3]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + (op <= 212 /* I64_LOAD8_U */ ? 1 : 2) > memLen) break outOfLine;
          var v: number;
          switch (op) {
            case 211 /* I64_LOAD8_S */: v = (m8[ea]! << 24) >> 24; break;
            case 212 /* I64_LOAD8_U */: v = m8[ea]!; break;
            case 213 /* I64_LOAD16_S */: v = (mem.dv.getUint16(ea, true) << 16) >> 16; break;
            default: v = mem.dv.getUint16(ea, true); break;
          }
          var d = fp + code[pc + 2]!;
          s32[d] = v;
          s32[d + 1] = op === 212 /* I64_LOAD8_U */ || op === 214 /* I64_LOAD16_U */ ? 0 : v >> 31;
          pc += 6;
          continue;
        }
        // (u32 limbs widened to u64: the hottest i64 load of bignum code; 12 % of bignum's loop time
        // went to the shared case above with a DataView read. Unaligned: out of line, like LOAD32)
        case 215 /* I64_LOAD32_S */: case 216 /* I64_LOAD32_U */: {
          var ea = ((s32[fp + code[pc + 3]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 4 > memLen) break outOfLine;
          if ((ea & 3) !== 0) break outOfLine;
          var v = m32[ea >>> 2]!, d = fp + code[pc + 2]!;
          s32[d] = v;
          s32[d + 1] = code[pc] === 216 /* I64_LOAD32_U */ ? 0 : v >> 31;
          pc += 6;
          continue;
        }
        // ---- stores: a v c offset ---------------------------------------------------------------------
        case 217 /* STORE32 */: {
          var ea = ((s32[fp + code[pc + 2]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 4 > memLen) break outOfLine;
          var v = s32[fp + code[pc + 3]!]!;
          if ((ea & 3) !== 0) break outOfLine;
          m32[ea >>> 2] = v;
          pc += 6;
          continue;
        }
        case 218 /* STORE64 */: {
          var ea = ((s32[fp + code[pc + 2]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 8 > memLen) break outOfLine;
          var v = fp + code[pc + 3]!;
          if ((ea & 3) !== 0) break outOfLine;
          var q = ea >>> 2;
          m32[q] = s32[v]!;
          m32[q + 1] = s32[v + 1]!;
          pc += 6;
          continue;
        }
        case 219 /* STORE8 */: {
          var ea = ((s32[fp + code[pc + 2]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 1 > memLen) break outOfLine;
          m8[ea] = s32[fp + code[pc + 3]!]!;
          pc += 6;
          continue;
        }
        case 220 /* STORE16 */: {
          var ea = ((s32[fp + code[pc + 2]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 2 > memLen) break outOfLine;
          var v = s32[fp + code[pc + 3]!]!;
          if ((ea & 1) !== 0) break outOfLine;
          m16[ea >>> 1] = v;
          pc += 6;
          continue;
        }
        // ---- loads/stores addressed by two slots ------------------------------------------------
        case 233 /* I32_LOAD8_U_RR */: {
          var ea = ((s32[fp + code[pc + 3]!]! + s32[fp + code[pc + 4]!]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 1 > memLen) break outOfLine;
          s32[fp + code[pc + 2]!] = m8[ea]!;
          pc += 6;
          continue;
        }
        case 234 /* LOAD32_RR */: {
          var ea = ((s32[fp + code[pc + 3]!]! + s32[fp + code[pc + 4]!]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 4 > memLen) break outOfLine;
          if ((ea & 3) !== 0) break outOfLine;
          s32[fp + code[pc + 2]!] = m32[ea >>> 2]!;
          pc += 6;
          continue;
        }
        case 235 /* STORE8_RR */: {
          var ea = ((s32[fp + code[pc + 2]!]! + s32[fp + code[pc + 3]!]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 1 > memLen) break outOfLine;
          m8[ea] = s32[fp + code[pc + 4]!]!;
          pc += 6;
          continue;
        }
        case 255 /* I32_LOAD8_S_RR */: {
          var ea = ((s32[fp + code[pc + 3]!]! + s32[fp + code[pc + 4]!]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 1 > memLen) break outOfLine;
          s32[fp + code[pc + 2]!] = (m8[ea]! << 24) >> 24;
          pc += 6;
          continue;
        }
        case 256 /* I32_LOAD16_S_RR */: case 257 /* I32_LOAD16_U_RR */: {
          var ea = ((s32[fp + code[pc + 3]!]! + s32[fp + code[pc + 4]!]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 2 > memLen) break outOfLine;
          if ((ea & 1) !== 0) break outOfLine;
          var v = m16[ea >>> 1]!;
          s32[fp + code[pc + 2]!] = code[pc] === 256 /* I32_LOAD16_S_RR */ ? (v << 16) >> 16 : v;
          pc += 6;
          continue;
        }
        case 258 /* LOAD64_RR */: {
          var ea = ((s32[fp + code[pc + 3]!]! + s32[fp + code[pc + 4]!]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 8 > memLen) break outOfLine;
          var d = fp + code[pc + 2]!;
          if ((ea & 7) === 0) {
            // one 64-bit move: an f64 op reading the slot whole after two 32-bit stores waits for them
            // (no store-to-load forwarding; matmul, nbody -10 %). Typed-array moves keep all 64 bits, NaNs too
            f64[d >> 1] = m64[ea >>> 3]!;
            pc += 6;
            continue;
          }
          if ((ea & 3) !== 0) break outOfLine;
          var q = ea >>> 2;
          s32[d] = m32[q]!;
          s32[d + 1] = m32[q + 1]!;
          pc += 6;
          continue;
        }
        case 259 /* STORE16_RR */: {
          var ea = ((s32[fp + code[pc + 2]!]! + s32[fp + code[pc + 3]!]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 2 > memLen) break outOfLine;
          var v = s32[fp + code[pc + 4]!]!;
          if ((ea & 1) !== 0) break outOfLine;
          m16[ea >>> 1] = v;
          pc += 6;
          continue;
        }
        case 260 /* STORE64_RR */: {
          var ea = ((s32[fp + code[pc + 2]!]! + s32[fp + code[pc + 3]!]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 8 > memLen) break outOfLine;
          var v = fp + code[pc + 4]!;
          if ((ea & 3) !== 0) break outOfLine;
          var q = ea >>> 2;
          m32[q] = s32[v]!;
          m32[q + 1] = s32[v + 1]!;
          pc += 6;
          continue;
        }
        case 236 /* STORE32_RR */: {
          var ea = ((s32[fp + code[pc + 2]!]! + s32[fp + code[pc + 3]!]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 4 > memLen) break outOfLine;
          var v = s32[fp + code[pc + 4]!]!;
          if ((ea & 3) !== 0) break outOfLine;
          m32[ea >>> 2] = v;
          pc += 6;
          continue;
        }
        // ---- memory -------------------------------------------------------------------------------
        case 238 /* MEMORY_SIZE */:
          s32[fp + code[pc + 2]!] = mem.pages;
          pc += 3;
          continue;
        // ---- the hottest SIMD sub-ops (translate/simd.ts SIMD_FAST), on the four words of each v128 --
        case 287 /* V128_AND */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          s32[d] = s32[a]! & s32[b]!; s32[d + 1] = s32[a + 1]! & s32[b + 1]!; s32[d + 2] = s32[a + 2]! & s32[b + 2]!; s32[d + 3] = s32[a + 3]! & s32[b + 3]!;
          pc += 5;
          continue;
        }
        case 288 /* I32X4_ADD */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          s32[d] = (s32[a]! + s32[b]!) | 0; s32[d + 1] = (s32[a + 1]! + s32[b + 1]!) | 0; s32[d + 2] = (s32[a + 2]! + s32[b + 2]!) | 0; s32[d + 3] = (s32[a + 3]! + s32[b + 3]!) | 0;
          pc += 5;
          continue;
        }
        case 289 /* I32X4_MUL */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          s32[d] = Math.imul(s32[a]!, s32[b]!); s32[d + 1] = Math.imul(s32[a + 1]!, s32[b + 1]!); s32[d + 2] = Math.imul(s32[a + 2]!, s32[b + 2]!); s32[d + 3] = Math.imul(s32[a + 3]!, s32[b + 3]!);
          pc += 5;
          continue;
        }
        case 290 /* I32X4_SHR_U */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, n = s32[fp + code[pc + 4]!]! & 31;
          s32[d] = s32[a]! >>> n; s32[d + 1] = s32[a + 1]! >>> n; s32[d + 2] = s32[a + 2]! >>> n; s32[d + 3] = s32[a + 3]! >>> n;
          pc += 5;
          continue;
        }
        case 291 /* I32X4_SPLAT */: {
          var d = fp + code[pc + 2]!, x = s32[fp + code[pc + 3]!]!;
          s32[d] = x; s32[d + 1] = x; s32[d + 2] = x; s32[d + 3] = x;
          pc += 4;
          continue;
        }
        case 292 /* I8X16_EQ */: {
          var d = fp + code[pc + 2]!, a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          // per word x = a ^ b: 0xff in each byte of x that is 0, else 0. t has the high bit of each
          // nonzero byte set (the sum wraps: only the bits of each byte count); written out, not a
          // helper (see I64_MUL)
          var x = s32[a]! ^ s32[b]!, t = ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x, r0 = Math.imul((~t & 0x80808080) >>> 7, 255);
          x = s32[a + 1]! ^ s32[b + 1]!; t = ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x; var r1 = Math.imul((~t & 0x80808080) >>> 7, 255);
          x = s32[a + 2]! ^ s32[b + 2]!; t = ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x; var r2 = Math.imul((~t & 0x80808080) >>> 7, 255);
          x = s32[a + 3]! ^ s32[b + 3]!; t = ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x;
          s32[d] = r0; s32[d + 1] = r1; s32[d + 2] = r2; s32[d + 3] = Math.imul((~t & 0x80808080) >>> 7, 255);
          pc += 5;
          continue;
        }
        case 293 /* I8X16_SHUFFLE */: {
          // both operands into SHUFFLE_WORDS first (the destination may be one of them), then each
          // result word from four of its bytes, picked by the lane indices in the bytes of the op's
          // words (written out, not a helper: see I64_MUL)
          var a = fp + code[pc + 3]!, b = fp + code[pc + 4]!;
          SHUFFLE_WORDS[0] = s32[a]!; SHUFFLE_WORDS[1] = s32[a + 1]!; SHUFFLE_WORDS[2] = s32[a + 2]!; SHUFFLE_WORDS[3] = s32[a + 3]!;
          SHUFFLE_WORDS[4] = s32[b]!; SHUFFLE_WORDS[5] = s32[b + 1]!; SHUFFLE_WORDS[6] = s32[b + 2]!; SHUFFLE_WORDS[7] = s32[b + 3]!;
          // (written out: a loop here would be one more loop for V8 to enter optimised code at)
          var d = fp + code[pc + 2]!;
          var l = code[pc + 5]!;
          s32[d] = SHUFFLE_BYTES[l & 31]! | (SHUFFLE_BYTES[(l >>> 8) & 31]! << 8) | (SHUFFLE_BYTES[(l >>> 16) & 31]! << 16) | (SHUFFLE_BYTES[(l >>> 24) & 31]! << 24);
          l = code[pc + 6]!;
          s32[d + 1] = SHUFFLE_BYTES[l & 31]! | (SHUFFLE_BYTES[(l >>> 8) & 31]! << 8) | (SHUFFLE_BYTES[(l >>> 16) & 31]! << 16) | (SHUFFLE_BYTES[(l >>> 24) & 31]! << 24);
          l = code[pc + 7]!;
          s32[d + 2] = SHUFFLE_BYTES[l & 31]! | (SHUFFLE_BYTES[(l >>> 8) & 31]! << 8) | (SHUFFLE_BYTES[(l >>> 16) & 31]! << 16) | (SHUFFLE_BYTES[(l >>> 24) & 31]! << 24);
          l = code[pc + 8]!;
          s32[d + 3] = SHUFFLE_BYTES[l & 31]! | (SHUFFLE_BYTES[(l >>> 8) & 31]! << 8) | (SHUFFLE_BYTES[(l >>> 16) & 31]! << 16) | (SHUFFLE_BYTES[(l >>> 24) & 31]! << 24);
          pc += 9;
          continue;
        }
        case 294 /* V128_LOAD */: {
          var ea = ((s32[fp + code[pc + 3]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 16 > memLen) break outOfLine;
          if ((ea & 3) !== 0) break outOfLine;
          var d = fp + code[pc + 2]!, q = ea >>> 2;
          s32[d] = m32[q]!; s32[d + 1] = m32[q + 1]!; s32[d + 2] = m32[q + 2]!; s32[d + 3] = m32[q + 3]!;
          pc += 6;
          continue;
        }
        case 295 /* V128_LOAD64_ZERO */: {
          var ea = ((s32[fp + code[pc + 3]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 8 > memLen) break outOfLine;
          if ((ea & 3) !== 0) break outOfLine;
          var d = fp + code[pc + 2]!, q = ea >>> 2;
          s32[d] = m32[q]!; s32[d + 1] = m32[q + 1]!; s32[d + 2] = 0; s32[d + 3] = 0;
          pc += 6;
          continue;
        }
        case 296 /* V128_STORE */: {
          var ea = ((s32[fp + code[pc + 2]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
          if (ea + 16 > memLen) break outOfLine;
          if ((ea & 3) !== 0) break outOfLine;
          var v = fp + code[pc + 3]!, q = ea >>> 2;
          m32[q] = s32[v]!; m32[q + 1] = s32[v + 1]!; m32[q + 2] = s32[v + 2]!; m32[q + 3] = s32[v + 3]!;
          pc += 6;
          continue;
        }
        // ---- SIMD (execute/simd.ts): registers saved; never ends a block, never grows a memory --------
        case 263 /* SIMD */:
          ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
          pc = simdOp(ctx) | 0;
          // in the realm's priming chunks (see PRIME_CHUNKS) a SIMD op counts as a step too, down to
          // the last one (the chunk then ends at the next branch): vectorised code runs ~100 ops a
          // step, so V8 had marked the loop before step 28 (simd128: ~3,500 ops in, its loop
          // deoptimised in about half of its processes)
          if (ctx.primeSteps > 0 && steps > 1) steps = (steps - 1) | 0;
          continue;
        // ---- everything rare (rare.ts): registers saved, views and the next block re-read after ------
        default: {
          var op = code[pc]!;
          ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
          pc = rareOp(ctx) | 0;
          fuel = ctx.fuel | 0; steps = ctx.steps | 0;
          if (BLOCK_END[op] !== 0) {
            m8 = mem.u8; m16 = mem.u16; m32 = mem.i32; m64 = mem.f64; memLen = mem.fastLength; // (memory.grow: only ops that end a block grow)
            break charge;
          }
          continue;
        }
      }
        }
        // a taken branch: check point before the charge, with ctx.pc at the branch op
        if (--steps <= 0) { slow = SLOW_BRANCH_CHECK; break slowPath; }
      }
      if (rest[pc]! > fuel) { ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel; fuel = blockShortfall(ctx, cm, pc, fuel) | 0; } else fuel -= rest[pc]!;
      continue;
      }
      // The slow path (reached only by `break slowPath`): one shared site that saves the registers
      // and calls `slowPath`, so its type feedback is gathered once, at the first check point of the
      // realm (see `PRIME_CHUNKS`), and not by each of its users. A reload leaves here too, so that
      // the first one after V8 optimised the loop meets code that has run (`ctx.inst` is set by a
      // reload into another instance, not here).
      ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.steps = steps; ctx.fuel = fuel; ctx.bpc = bpc;
      if (slow === SLOW_RETURN) return 3;
      if (slow >= SLOW_RELOAD) return slow;
      var chunkEnd = ctx.primeSteps > 0; // the end of a priming chunk (see PRIME_CHUNKS)
      var suspend = slowPath(ctx, slow);
      // past the priming chunks: the ops of the guests translated so far run in the primer
      // (prime.ts); before a suspend too (an async call in slices suspends at every check point
      // that ends a slice, and has no priming chunks)
      if (!PRIMED.pureflowFirstPrimingDone && ctx.primeSteps === 0 && enablePriming()) PRIMED.pureflowFirstPrimingDone = true;
      if (!BROAD_PRIMED.pureflowBroadPrimingDone && broadPrimingDone()) BROAD_PRIMED.pureflowBroadPrimingDone = true;
      if (suspend) return 1;
      steps = ctx.steps | 0;
      // (priming may have translated functions, replacing the code arrays: prime.ts; the block is
      // charged from the module's arrays either way, so this code runs, and is fed, every time)
      var restNow = cm.rest;
      if (restNow[pc]! > fuel) { fuel = blockShortfall(ctx, cm, pc, fuel) | 0; } else fuel -= restNow[pc]!;
      // (the end of a priming chunk enters the loop again too, so that its entry gathers type
      // feedback before V8 first compiles the loop as a whole: see PRIME_CHUNKS)
      if (cm.code !== code || chunkEnd) { ctx.fuel = fuel; return SLOW_RELOAD_MID; }
      continue;
      }
      // A memory op whose address is not aligned (16, 32 or 64 bits) or that ends past `memLen` (out
      // of bounds, or past the fast limit of a memory longer than FAST_MEMORY_BYTES; reached only by
      // `break outOfLine`): one shared call site out of line (out-of-line-access.ts), which checks
      // the bounds against the real length and throws the trap, so the registers are saved first.
      ctx.pc = pc; ctx.fp = fp; ctx.fsp = fsp; ctx.inst = inst; ctx.steps = steps; ctx.fuel = fuel;
      outOfLineAccess(code, pc, s32, fp, mem.dv);
      pc += 6;
    }
  }
}

/**
 * Why the loop took its slow path. A reload (4, 5: see the loop's header) is also what `loop`
 * returns then: its views were replaced; `run` runs it again from the saved registers, at a block
 * start (charged on entry) or, for 5, inside the block (already charged: the op that grew the
 * value slots or first called a function runs again).
 */
const SLOW_RETURN = 0, SLOW_BRANCH_CHECK = 1, SLOW_CALL_CHECK = 2, SLOW_RELOAD = 4, SLOW_RELOAD_MID = 5;

/**
 * Priming. V8 compiles code of the loop that has never run (no type feedback) into a
 * deoptimisation; the slow path runs rarely (top-level returns, a check point every `interval`
 * steps). So the first steps of the loop in a realm come in short chunks (`PRIME_CHUNKS`, the real
 * countdown kept in `ctx.primeSteps`), each ended by a check point through the slow path. V8
 * gathers type feedback only once a function has run for a while (its feedback vector is
 * allocated lazily) and first optimises the loop a few hundred ops later; the growing chunks make
 * some of these passes fall in between, whatever the guest's ratio of ops to branches. Each chunk
 * end also leaves the loop and enters it again (a mid-block reload), so that the loop's entry code
 * has feedback by the time the primer first calls it: V8 compiles the whole loop (not only from its
 * header, OSR) at that call, and without entry feedback that compile stops at the entry and
 * deoptimises at once.
 *
 * After the last chunk the realm is primed (prime.ts `enablePriming`, run from the slow path):
 * 28 steps into its first call that runs that long (within the chunks a SIMD op counts as a step
 * too: see the SIMD case). Measured with 4 to 6 chunks (28 to 252 steps): V8 marks the loop for
 * optimisation 28 to 124 steps into a bench workload, and a compile that begins before priming
 * is thrown away (below) or deoptimises; priming after 28 steps made
 * first calls 6 % faster (geometric mean of 10 workloads; sha256 -24 %, fft and nbody -15 %) and
 * left no deoptimisation in 36 processes (252 steps: 4). Earlier (12 or 4 steps) was 1-2 % slower.
 * The price: a call of 28 to 252 steps now pays for priming too (once per realm: ~9 ms for a
 * small module); the uppercase CLI run stays under 28.
 *
 * V8 may still have marked the loop, and compile it while the primer runs, reading type feedback
 * as it goes: ops primed after it read theirs would deoptimise the installed code. So
 * `PRIMED` (below) tells V8 to throw such a compile away; `BROAD_PRIMED` does the same for the
 * realm's broad priming (prime.ts: everything at the second time), which meets a loop V8 has
 * optimised and is compiling again, started by the primer's first call.
 */
const PRIME_CHUNKS = [4, 8, 16];
/** The next chunk (PRIME_CHUNKS.length: this realm is primed). */
let primeStage = 0;
/**
 * Whether the realm's first priming has run. A field of a constant object on purpose: V8 folds the
 * load into the code it optimises as a constant, with a dependency on the field, and throws away
 * that code (or the compile in flight, "dependency change") when the field changes. So a compile
 * of the loop that began before or during priming is never installed with part of the primed
 * feedback missing. Read at the loop's entry (the first code a compile of the whole loop meets)
 * and in the slow path (which an OSR compile, starting at the loop's header, meets too).
 *
 * The field's name is the object's first and only property, and no other object of the realm may
 * begin with it: V8 keeps a field's "constant" state per shape (hidden class), so one other object
 * of the same shape whose field was written (a `{ done: false }` of any code in the process, set
 * to true before the first priming) would leave the field mutable, no longer folded, and the guard
 * off without a sign (measured with a six-line module: the write stops the thrown-away compile).
 * test/interpreter/prime.test.ts checks that no source of the package begins an object with them.
 */
const PRIMED = { pureflowFirstPrimingDone: false };
/** The same guard for the realm's broad priming (prime.ts `broadPrimingDone`). */
const BROAD_PRIMED = { pureflowBroadPrimingDone: false };

/** The eight words of an `I8X16_SHUFFLE`'s two operands, and their 32 bytes (little-endian, as the value slots). */
const SHUFFLE_WORDS = new Int32Array(8);
const SHUFFLE_BYTES = new Uint8Array(SHUFFLE_WORDS.buffer);

/** Cancellation sources that never fire, polled instead of the real ones by the priming check points. */
const PRIME_SOURCES = new CancelSources([], 0);

/**
 * A check point of the loop (the step countdown reached 0), with the registers saved in `ctx`
 * (`ctx.pc` = where the loop goes on, its block not charged yet; `ctx.bpc` = the branch or call op
 * that counted it). The check point sees `ctx.pc` at that op (and a call's caller frame). Returns
 * true to suspend (a test without type feedback of its own), false to go on; either way the store
 * holds the fuel left.
 *
 * Inlined by V8 into the loop, so its code runs straight through in every case that can happen
 * while priming (see `PRIME_CHUNKS`): code that first runs later would deoptimise the loop.
 */
function slowPath(ctx: ExecContext, slow: number): boolean {
  const pc = ctx.pc, fp = ctx.fp, fsp = ctx.fsp, priming = ctx.primeSteps > 0;
  const callerFp = ctx.frames[fsp >= 3 ? fsp - 2 : 0]!;
  const cancel = ctx.cancel;
  // a priming check point polls nothing (a cancellation callback sees only the real ones)
  if (priming) ctx.cancel = PRIME_SOURCES;
  ctx.pc = ctx.bpc;
  ctx.fp = slow === SLOW_CALL_CHECK ? callerFp : fp;
  const suspend = checkpoint(ctx);
  ctx.cancel = cancel;
  ctx.pc = pc;
  ctx.fp = fp;
  let steps = ctx.interval;
  if (priming) {
    // the end of a priming chunk: the next chunk, or the rest of the real countdown
    const left = ctx.primeSteps, stage = primeStage;
    const next = stage + 1 < PRIME_CHUNKS.length ? PRIME_CHUNKS[stage + 1]! : 0;
    if (next > 0 && left > next) {
      steps = next;
      ctx.primeSteps = left - next;
    } else {
      steps = left;
      ctx.primeSteps = 0;
    }
    primeStage = stage + 1 < PRIME_CHUNKS.length && ctx.primeSteps > 0 ? stage + 1 : PRIME_CHUNKS.length;
  }
  ctx.steps = steps;
  // (synced at every check point, not only to suspend: code that first runs after V8 optimised the
  // loop would deoptimise it, and a suspend comes only in async slice mode, never while priming)
  ctx.store!._sync(ctx.fuel);
  return suspend;
}

/**
 * Runs `ctx` (see `loop`). The loop has no try/catch (it costs V8 about a third of the loop's
 * speed); when a trap escapes, this settles the fuel from the registers the throwing site saved:
 * out-of-fuel keeps the exact figure computed by fuel.ts, a trap inside a host call keeps the
 * store's figure, and any other trap gives back what its block pre-charged for the ops after it.
 */
export function run(ctx: ExecContext): number {
  ctx.oof = false;
  ctx.inHost = false;
  try {
    let r = loop(ctx);
    while (r >= SLOW_RELOAD) {
      // a reload (SLOW_RELOAD): the loop runs again on the new views
      ctx.midBlock = r === SLOW_RELOAD_MID;
      ctx.store!._sync(ctx.fuel);
      r = loop(ctx);
    }
    if (r !== 3) return r;
    // the top-level call returned
    if (ctx.primeSteps > 0) {
      // inside a priming chunk: the countdown as if never primed
      ctx.steps += ctx.primeSteps;
      ctx.primeSteps = 0;
    }
    ctx.store!._sync(ctx.fuel);
    return 0;
  } catch (e) {
    const store = ctx.store!;
    let f = ctx.fuel;
    if (ctx.inHost) {
      f = store._fuel;
      ctx.inHost = false;
    } else if (ctx.oof) f = ctx.oofFuel;
    else {
      const cm = ctx.inst!.compiled;
      if (BLOCK_END[cm.code[ctx.pc]!] === 0) f += trapRefund(ctx, cm, ctx.pc);
    }
    restorePatch(ctx);
    store._sync(f);
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new RuntimeError("call-stack-exhausted", "JS stack exhausted");
    throw e;
  }
}
