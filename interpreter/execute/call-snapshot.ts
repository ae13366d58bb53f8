/**
 * Execution snapshots (issue 16): the complete state of a call stopped at an exact instruction
 * (out of fuel, e.g. `stopAtFuel`: a budget of N), written to a compact, versioned byte string,
 * and restored — in another store, process or JS runtime — into a call that continues to the same
 * outcome with the same total fuel.
 *
 * What a snapshot holds: the sha256 of every module of the group of instances the call runs in;
 * the cost table, NaN mode and fuel figures (remaining, consumed, the stopped op's credit and
 * cost); every frame as (instance, function, offset within the function's translated code) — not
 * as absolute code positions, which depend on the order functions were translated in; the value
 * slots of every frame and the references among them (functions by place, see
 * `instantiate/snapshot.ts`); the state of every instance of the group (memories, globals, tables,
 * dropped segments). A sha256 of the whole body guards against truncation and editing. Code
 * offsets and value slots are those of this engine's translation: the snapshot also holds a
 * sha256 of the translated shape (op and length of every op, frame size) of each function on the
 * stack, and a restore whose translation differs (another version of the engine) is refused
 * instead of continuing at the wrong ops.
 *
 * Layout: `"PFWSNAP\0"`, u32 format version, u32 byte length of the JSON part, the JSON part
 * (UTF-8), then the binary part: memory runs and value slots, which the JSON part names by
 * `[offset, length]` into it. Numbers are little-endian.
 */
import type { InstanceRuntime } from "../runtime/instance.js";
import type { Store } from "../runtime/store.js";
import { sha256Hex } from "../runtime/sha256.js";
import { captureGroup, GroupSnapshot, restoreGroup, SnapshotError } from "../instantiate/snapshot.js";
import { FuncInst } from "../runtime/func.js";
import { ExceptionInst } from "../runtime/tag.js";
import { opLength } from "../translate/opcodes.js";
import { frameWordsOf, translateFunction } from "../translate/translator.js";
import type { CompiledModule } from "../translate/translator.js";
import type { ExecContext } from "./context.js";
import { Resumable } from "./invoke.js";
import type { ResultReader } from "./invoke.js";

const MAGIC = [0x50, 0x46, 0x57, 0x53, 0x4e, 0x41, 0x50, 0x00]; // "PFWSNAP\0"
/** The format version this code writes and reads (2: with `Body.translation`). */
export const CALL_SNAPSHOT_VERSION = 2;

type Chunk = [offset: number, length: number];
type RefToken = null | { k: number; i: number };

/** A code position: function `f` (defined index) of instance `k` of the group, `off` words into its code. */
export interface Position {
  k: number;
  f: number;
  off: number;
}

/** The JSON part (see the file comment). */
export interface Body {
  modules: { sha256: string; size: number }[];
  costs: string;
  canonicalizeNaNs: boolean;
  fuel: { remaining: number; consumed: number; credit: number; required: number };
  /** The function the call entered first. */
  called: { k: number; f: number };
  /** The stopped op, and the frame it runs in (`fp` in words). */
  at: Position & { fp: number };
  /** Frames from the outermost call inward: where each caller continues, its frame base, whether the callee is in another instance. */
  frames: (Position & { fp: number; cross: boolean })[];
  /** {@link translationOf} the functions of `frames`, then of `at`. */
  translation: string;
  /** Value words 0 .. `words` of the value store. */
  values: Chunk;
  words: number;
  refs: [slot: number, ref: RefToken][];
  instances: {
    memories: { index: number; pages: number; runs: [offset: number, chunk: Chunk][] }[];
    globals: { index: number; lo: number; hi: number; ref: RefToken; v128?: number[] }[];
    tables: { index: number; elements: RefToken[] }[];
    datasDropped: boolean[];
    elems: (RefToken[] | null)[];
  }[];
}

/**
 * The sha256 of the translated shape of the functions at `positions` (in order): for each, its
 * frame size and the opcode and length of each of its ops. Offsets into the code and the layout
 * of the value slots mean something only for the same shapes; branch targets and other operands
 * are left out (absolute positions depend on the order functions were translated in).
 */
function translationOf(positions: readonly Position[], compiledOf: (k: number) => CompiledModule): string {
  const words: number[] = [];
  for (const p of positions) {
    const cm = compiledOf(p.k);
    const fn = cm.funcs[p.f]!;
    words.push(-1, frameWordsOf(cm, p.f));
    for (let pc = fn.entry, len = 0; pc < fn.end; pc += len) {
      len = opLength(cm.code, pc);
      words.push(cm.code[pc]!, len);
    }
  }
  return sha256Hex(new Uint8Array(Int32Array.from(words).buffer));
}

/** Where in `inst`'s translated code `pc` lies. */
function positionOf(inst: InstanceRuntime, k: number, pc: number): Position {
  const funcs = inst.compiled.funcs;
  for (let f = 0; f < funcs.length; f++) {
    const fn = funcs[f];
    if (fn !== undefined && pc >= fn.entry && pc < fn.end) return { k, f, off: pc - fn.entry };
  }
  throw new SnapshotError(`code position ${pc} lies in no translated function of instance ${k}`);
}

/**
 * Captures `call`, stopped out of fuel, running in the instances `group` (every instance its
 * frames run in must be there; `moduleBytes[k]` are the bytes instance `k` was compiled from).
 * @throws SnapshotError when the call is not stopped or the group cannot be captured
 */
export function captureCall(call: Resumable<unknown>, group: readonly InstanceRuntime[], moduleBytes: readonly Uint8Array[]): Uint8Array {
  const stopped = call._stopped;
  if (stopped === undefined) throw new SnapshotError("only a call stopped out of fuel can be captured (state is finished)");
  if (moduleBytes.length !== group.length) throw new SnapshotError(`${group.length} instances but ${moduleBytes.length} module byte strings given`);
  const { fi, ctx } = stopped;
  const store = ctx.store!;
  const indexOf = (inst: InstanceRuntime | undefined, what: string): number => {
    const k = inst === undefined ? -1 : group.indexOf(inst);
    if (k < 0) throw new SnapshotError(`${what} runs in an instance outside the group given`);
    return k;
  };
  const blobs: Uint8Array[] = [];
  let blobLength = 0;
  const chunk = (bytes: Uint8Array): Chunk => {
    blobs.push(bytes);
    blobLength += bytes.length;
    return [blobLength - bytes.length, bytes.length];
  };

  // frames, from the innermost outward; the caller of a cross-instance call is on instStack
  const curK = indexOf(ctx.inst, "the stopped function");
  const at = { ...positionOf(ctx.inst!, curK, ctx.pc), fp: ctx.fp };
  const frames: Body["frames"] = [];
  let callee = ctx.inst!;
  let stackTop = ctx.instStack.length - 1;
  for (let i = ctx.fsp / 3 - 1; i >= 0; i--) {
    const rpc = ctx.frames[3 * i]!, fp = ctx.frames[3 * i + 1]!, cross = ctx.frames[3 * i + 2]! !== 0;
    if (rpc < 0) {
      if (i !== 0) throw new SnapshotError("a host function is on the call stack; only calls entirely in wasm can be captured");
      break;
    }
    const caller = cross ? ctx.instStack[stackTop--]! : callee;
    frames.push({ ...positionOf(caller, indexOf(caller, "a caller"), rpc), fp, cross });
    callee = caller;
  }
  frames.reverse();
  const calledK = indexOf(fi.instance, "the called function");

  const cm = ctx.inst!.compiled;
  const words = ctx.fp + frameWordsOf(cm, at.f);
  const values = chunk(new Uint8Array(ctx.s32.buffer, 0, words * 4).slice());
  const places = new Map<unknown, { k: number; i: number }>();
  group.forEach((inst, k) => inst.funcs.forEach((f, i) => {
    if (!places.has(f)) places.set(f, { k, i });
  }));
  const refs: Body["refs"] = [];
  for (let s = 0; s < words >> 1; s++) {
    const r = ctx.refs[s];
    if (r === null || r === undefined) continue;
    const p = places.get(r);
    if (p === undefined) throw new SnapshotError(`value slot ${s} holds ${r instanceof FuncInst ? "a function from outside the group" : r instanceof ExceptionInst ? "an exnref (exceptions are not captured)" : "a non-null externref"}`);
    refs.push([s, p]);
  }

  const group0 = captureGroup(group);
  const instances: Body["instances"] = group0.states.map((st) => ({
    memories: st.memories.map((m) => ({ index: m.index, pages: m.pages, runs: m.runs.map((r): [number, Chunk] => [r.offset, chunk(r.bytes)]) })),
    globals: st.globals.map(({ v128, ...g }) => (v128 !== undefined ? { ...g, v128: [...v128] } : { ...g })),
    tables: st.tables.map((t) => ({ index: t.index, elements: [...t.elements] })),
    datasDropped: [...st.datasDropped],
    elems: st.elems.map((e) => (e === null ? null : [...e])),
  }));
  const body: Body = {
    modules: moduleBytes.map((b) => ({ sha256: sha256Hex(b), size: b.length })),
    costs: store.costs.key,
    canonicalizeNaNs: store.canonicalizeNaNs,
    fuel: { remaining: store._fuel + store._bank, consumed: store._consumed, credit: ctx.credit, required: call.required },
    called: { k: calledK, f: fi.defIndex },
    at,
    frames,
    translation: translationOf([...frames, at], (k) => group[k]!.compiled),
    values,
    words,
    refs,
    instances,
  };
  const json = new TextEncoder().encode(JSON.stringify(body));
  const out = new Uint8Array(8 + 4 + 4 + 32 + json.length + blobLength);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, CALL_SNAPSHOT_VERSION, true);
  dv.setUint32(12, json.length, true);
  let p = 48;
  out.set(json, p);
  p += json.length;
  for (const b of blobs) {
    out.set(b, p);
    p += b.length;
  }
  out.set(hexBytes(sha256Hex(out.subarray(48))), 16);
  return out;
}

function hexBytes(hex: string): Uint8Array {
  const b = new Uint8Array(hex.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return b;
}

/** Reads and checks the envelope of a snapshot. @throws SnapshotError */
export function readEnvelope(bytes: Uint8Array): { body: Body; blob: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) throw new SnapshotError("an execution snapshot must be a Uint8Array");
  if (bytes.length < 48 || MAGIC.some((m, i) => bytes[i] !== m)) throw new SnapshotError("not an execution snapshot (bad magic or shorter than its header)");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== CALL_SNAPSHOT_VERSION) throw new SnapshotError(`execution snapshot format version ${version}; this engine reads version ${CALL_SNAPSHOT_VERSION}`);
  const jsonLength = dv.getUint32(12, true);
  if (48 + jsonLength > bytes.length) throw new SnapshotError(`truncated execution snapshot: its JSON part needs ${jsonLength} bytes, ${bytes.length - 48} present`);
  const digest = sha256Hex(bytes.subarray(48));
  const stored = Array.from(bytes.subarray(16, 48), (b) => b.toString(16).padStart(2, "0")).join("");
  if (digest !== stored) throw new SnapshotError("execution snapshot damaged: its sha256 does not match (truncated or edited)");
  let body: Body;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(48, 48 + jsonLength))) as Body;
  } catch (e) {
    throw new SnapshotError(`execution snapshot damaged: ${(e as Error).message}`);
  }
  return { body, blob: bytes.subarray(48 + jsonLength) };
}

/**
 * Restores a captured call into `group`: fresh instances of the same modules, in the same
 * order, in the same kind of store (cost table, NaN mode, metering on), created without
 * initialisation. The returned call is out of fuel with the captured figures: `setFuel` and
 * `resume()` continue it. @throws SnapshotError when the snapshot is damaged or does not match
 */
export function restoreCall<R>(bytes: Uint8Array, group: readonly InstanceRuntime[], moduleBytes: readonly Uint8Array[], readResults: (fi: FuncInst) => ResultReader<R>): Resumable<R> {
  const { body, blob } = readEnvelope(bytes);
  if (group.length !== body.modules.length || moduleBytes.length !== group.length) throw new SnapshotError(`the snapshot holds ${body.modules.length} instances; ${group.length} instances and ${moduleBytes.length} module byte strings given`);
  body.modules.forEach((m, k) => {
    if (sha256Hex(moduleBytes[k]!) !== m.sha256) throw new SnapshotError(`instance ${k}: the module given is not the one captured (sha256 ${m.sha256.slice(0, 16)}…, size ${m.size})`);
  });
  const store: Store = group[0]!.store;
  if (group.some((inst) => inst.store !== store)) throw new SnapshotError("the instances must share one store");
  if (!store.metering) throw new SnapshotError("the store must meter fuel (new Store({ fuel }))");
  if (store.costs.key !== body.costs) throw new SnapshotError(`the store's cost table (${store.costs.key.slice(0, 40)}) is not the captured one (${body.costs.slice(0, 40)})`);
  if (store.canonicalizeNaNs !== body.canonicalizeNaNs) throw new SnapshotError(`the store's NaN canonicalisation (${store.canonicalizeNaNs}) is not the captured one (${body.canonicalizeNaNs})`);
  const slice = ([o, n]: Chunk): Uint8Array => {
    if (!Number.isInteger(o) || !Number.isInteger(n) || o < 0 || n < 0 || o + n > blob.length) throw new SnapshotError(`execution snapshot names bytes ${o}..${o + n} of a binary part of ${blob.length}`);
    return blob.subarray(o, o + n);
  };
  const instanceAt = (k: number): InstanceRuntime => {
    const inst = group[k];
    if (!Number.isInteger(k) || inst === undefined) throw new SnapshotError(`execution snapshot names instance ${k} of ${group.length}`);
    return inst;
  };
  /** The absolute pc of a position, translating the function; it must be an op boundary. */
  const pcOf = (p: Position): number => {
    const inst = instanceAt(p.k);
    const cm = inst.compiled;
    if (!Number.isInteger(p.f) || p.f < 0 || p.f >= cm.funcs.length) throw new SnapshotError(`execution snapshot names function ${p.f} of instance ${p.k}, which defines ${cm.funcs.length}`);
    translateFunction(cm, p.f);
    const fn = cm.funcs[p.f]!;
    for (let pc = fn.entry; pc < fn.end; pc += opLength(cm.code, pc)) if (pc - fn.entry === p.off) return pc;
    throw new SnapshotError(`execution snapshot names offset ${p.off} in function ${p.f} of instance ${p.k}, not the start of an op`);
  };

  // the instances' state
  const states = body.instances.map((s) => ({
    memories: s.memories.map((m) => ({ index: m.index, pages: m.pages, runs: m.runs.map(([offset, c]) => ({ offset, bytes: slice(c) })) })),
    globals: s.globals,
    tables: s.tables,
    datasDropped: s.datasDropped,
    elems: s.elems,
  }));
  const ref = (t: RefToken): unknown => (t === null ? null : instanceAt(t.k).funcs[t.i] ?? null);
  restoreGroup(group, new GroupSnapshot(states, group.map((inst) => inst.module)));

  const calledInst = instanceAt(body.called.k);
  const fi = calledInst.funcs[calledInst.module.importedFuncCount + body.called.f];
  if (fi === undefined || fi.instance !== calledInst || fi.defIndex !== body.called.f) throw new SnapshotError(`execution snapshot names function ${body.called.f} of instance ${body.called.k} as the one called`);
  const { remaining, consumed, credit, required } = body.fuel;
  for (const [name, n] of [["remaining", remaining], ["consumed", consumed], ["credit", credit], ["required", required]] as const) {
    if (!Number.isSafeInteger(n) || n < 0) throw new SnapshotError(`execution snapshot: fuel ${name} ${String(n)} is not an integer >= 0`);
  }
  const values = slice(body.values);
  if (values.length !== body.words * 4) throw new SnapshotError("execution snapshot: value slots of the wrong size");
  const fill = (ctx: ExecContext): void => {
    ctx.growWords(Math.max(body.words, 2));
    ctx.growFrames(body.frames.length + 1);
    new Uint8Array(ctx.s32.buffer, 0, values.length).set(values);
    for (const [s, t] of body.refs) {
      if (!Number.isInteger(s) || s < 0 || s >= body.words >> 1) throw new SnapshotError(`execution snapshot names value slot ${s}`);
      ctx.refs[s] = ref(t);
      ctx.refsDirty = true;
    }
    // the outermost frame returns to the host; each later one to where its caller continues
    ctx.frames[0] = -1;
    ctx.frames[1] = 0;
    ctx.frames[2] = 0;
    let fsp = 3;
    ctx.instStack.length = 0;
    let prevFp = 0;
    for (const fr of body.frames) {
      if (!Number.isInteger(fr.fp) || fr.fp < prevFp || fr.fp > body.words) throw new SnapshotError(`execution snapshot: frame base ${fr.fp} out of order`);
      prevFp = fr.fp;
      ctx.frames[fsp] = pcOf(fr);
      ctx.frames[fsp + 1] = fr.fp;
      ctx.frames[fsp + 2] = fr.cross ? 1 : 0;
      fsp += 3;
      if (fr.cross) ctx.instStack.push(instanceAt(fr.k));
    }
    const atPc = pcOf(body.at); // translates the stopped function: its frame size is known after
    const translation = translationOf([...body.frames, body.at], (k) => instanceAt(k).compiled);
    if (translation !== body.translation) throw new SnapshotError(`execution snapshot: its functions were translated differently (translation ${String(body.translation).slice(0, 16)}…, this engine's ${translation.slice(0, 16)}…): it was taken by another version of the engine`);
    if (!Number.isInteger(body.at.fp) || body.at.fp < prevFp || body.at.fp + frameWordsOf(instanceAt(body.at.k).compiled, body.at.f) !== body.words) throw new SnapshotError("execution snapshot: the stopped frame does not end where the value slots do");
    ctx.pc = atPc;
    ctx.fp = body.at.fp;
    ctx.fsp = fsp;
    ctx.inst = instanceAt(body.at.k);
    ctx.credit = credit;
    store._setRemaining(remaining);
    store._consumed = consumed;
  };
  return new Resumable<R>(fi, null, readResults(fi), undefined, { fill, required });
}
