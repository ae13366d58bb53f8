/**
 * `WebAssembly.Tag` and `WebAssembly.Exception` (JS API "Tags", "Exceptions", "JavaScript
 * exceptions") over the runtime's tag and exception instances (`../runtime/tag.ts`), and the
 * `WebAssembly.JSTag` object. One Tag object per tag instance and one Exception object per
 * exception instance (the JS API's Tag and Exception object caches), so an exception keeps its
 * identity when it crosses between wasm and JavaScript any number of times.
 */
import { canonicalIn } from "../decode/matching.js";
import { describeValue, InvalidArgumentRangeError, InvalidArgumentTypeError } from "../errors.js";
import type { ExecContext } from "../execute/context.js";
import { installExceptionConversions } from "../execute/exceptions.js";
import { readJs, valueWords, writeJs } from "../execute/values.js";
import type { ValType } from "../decode/module.js";
import { ExceptionInst, JS_TAG, TagInst } from "../runtime/tag.js";
import { enforceRangeU32, finishInterface, notA, requireArgs, toDictionary, toEnum } from "./webidl.js";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b, FUNCREF = 0x70, EXTERNREF = 0x6f, EXNREF = 0x69;
const VALTYPE_BY_NAME = { i32: I32, i64: I64, f32: F32, f64: F64, v128: V128, anyfunc: FUNCREF, funcref: FUNCREF, externref: EXTERNREF } as const;
const VALTYPE_NAMES = Object.keys(VALTYPE_BY_NAME) as (keyof typeof VALTYPE_BY_NAME)[];

const tagInsts = new WeakMap<object, TagInst>();
const tagObjects = new WeakMap<TagInst, Tag>();
const exceptionInsts = new WeakMap<object, ExceptionInst>();
const exceptionObjects = new WeakMap<ExceptionInst, Exception>();
const stacks = new WeakMap<object, string | undefined>();

/** Descriptor of `new Tag(...)` (the JS API's TagType). */
export interface TagType {
  readonly parameters: readonly ("i32" | "i64" | "f32" | "f64" | "v128" | "externref" | "anyfunc" | "funcref")[];
}

/** ExceptionOptions of `new Exception(...)`. */
export interface ExceptionOptions {
  readonly traceStack?: boolean;
}

/** A WebIDL `sequence<T>` argument read into an array (an iterable object; anything else is a TypeError). */
function toSequence(argument: string, v: unknown): unknown[] {
  if ((typeof v !== "object" || v === null) && typeof v !== "function") throw new InvalidArgumentTypeError(argument, `must be a sequence (an iterable object), got ${describeValue(v)}`);
  const it = (v as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof it !== "function") throw new InvalidArgumentTypeError(argument, `must be a sequence (an iterable object), got ${describeValue(v)}`);
  return [...(v as Iterable<unknown>)];
}

function tagOf(argument: string, v: unknown): TagInst {
  const t = typeof v === "object" && v !== null ? tagInsts.get(v) : undefined;
  return t ?? notA("Tag", argument, v);
}

function exceptionOfThis(self: unknown): ExceptionInst {
  const e = typeof self === "object" && self !== null ? exceptionInsts.get(self) : undefined;
  return e ?? notA("Exception", "this", self);
}

/** An exception tag (`WebAssembly.Tag`). */
export class Tag {
  /** A new tag whose exceptions carry values of `type.parameters`. */
  constructor(type: TagType) {
    requireArgs("WebAssembly.Tag", arguments.length, 1);
    if ((typeof type !== "object" || type === null) && typeof type !== "function") throw new InvalidArgumentTypeError("type", `must be an object, got ${describeValue(type)}`);
    const d = toDictionary("type", type);
    const raw = d.parameters;
    if (raw === undefined) throw new InvalidArgumentTypeError("type.parameters", "is required");
    const params: ValType[] = toSequence("type.parameters", raw).map((p, i) => VALTYPE_BY_NAME[toEnum(`type.parameters[${i}]`, p, VALTYPE_NAMES)]);
    const t = new TagInst({ params, results: [] });
    tagInsts.set(this, t);
    tagObjects.set(t, this);
  }
}
finishInterface(Tag, { name: "Tag", length: 1 });

/** The Tag object of tag instance `t` (created on first use). */
export function tagFor(t: TagInst): Tag {
  let o = tagObjects.get(t);
  if (o === undefined) {
    o = Object.create(Tag.prototype) as Tag;
    tagInsts.set(o, t);
    tagObjects.set(t, o);
  }
  return o;
}

/** The tag instance behind a Tag object, or undefined. */
export function tagInstOf(v: unknown): TagInst | undefined {
  return typeof v === "object" && v !== null ? tagInsts.get(v) : undefined;
}

/** A view of an exception's payload shaped like the executor's value store (for readJs / writeJs). */
function payloadStore(words: Int32Array, refs: unknown[]): ExecContext {
  return { s32: words, f32: new Float32Array(words.buffer, words.byteOffset, words.length), f64: new Float64Array(words.buffer, words.byteOffset, words.length >> 1), refs } as unknown as ExecContext;
}

/** An exception (`WebAssembly.Exception`): a tag and its payload. */
export class Exception {
  /** A new exception of `exceptionTag` carrying `payload` (converted with ToWebAssemblyValue). */
  constructor(exceptionTag: Tag, payload: readonly unknown[], options?: ExceptionOptions) {
    requireArgs("WebAssembly.Exception", arguments.length, 2);
    const tag = tagOf("exceptionTag", exceptionTag);
    const values = toSequence("payload", payload);
    const o = toDictionary("options", options);
    const traceStack = Boolean(o.traceStack);
    if (tag === JS_TAG) throw new InvalidArgumentTypeError("exceptionTag", "an Exception of WebAssembly.JSTag cannot be created explicitly");
    const types = tag.type.params;
    if (values.length !== types.length) throw new InvalidArgumentTypeError("payload", `the tag takes ${types.length} values, got ${values.length}`);
    const at = valueWords(types);
    const words = new Int32Array(2 * tag.slots);
    const refs = new Array<unknown>(tag.slots).fill(null);
    const store = payloadStore(words, refs);
    for (let i = 0; i < types.length; i++) {
      const t = types[i]!;
      if (t === V128 || t === EXNREF) throw new InvalidArgumentTypeError(`payload[${i}]`, `a ${t === V128 ? "v128" : "exnref"} value cannot cross the JavaScript boundary`);
      writeJs(store, at[i]!, canonicalIn(tag.type, t), values[i]);
    }
    const e = new ExceptionInst(tag, words, tag.hasRefs ? refs : null);
    exceptionInsts.set(this, e);
    exceptionObjects.set(e, this);
    stacks.set(this, traceStack ? new Error().stack : undefined);
  }

  /** Value `index` of the payload; the tag must be this exception's. */
  getArg(exceptionTag: Tag, index: number): unknown {
    const e = exceptionOfThis(this);
    requireArgs("Exception.getArg", arguments.length, 2);
    const tag = tagOf("exceptionTag", exceptionTag);
    const i = enforceRangeU32("index", index);
    if (e.tag !== tag) throw new InvalidArgumentTypeError("exceptionTag", "is not the tag of this exception");
    const types = tag.type.params;
    if (i >= types.length) throw new InvalidArgumentRangeError("index", `must be below ${types.length}, got ${i}`);
    const t = types[i]!;
    if (t === V128 || t === EXNREF) throw new InvalidArgumentTypeError("index", `a ${t === V128 ? "v128" : "exnref"} value cannot cross the JavaScript boundary`);
    return readJs(payloadStore(e.words, e.refs ?? []), valueWords(types)[i]!, t);
  }

  /** Whether this exception's tag is `exceptionTag`. */
  is(exceptionTag: Tag): boolean {
    const e = exceptionOfThis(this);
    requireArgs("Exception.is", arguments.length, 1);
    return e.tag === tagOf("exceptionTag", exceptionTag);
  }

  /** The call stack when the exception was made with `traceStack: true`, else undefined. */
  get stack(): string | undefined {
    exceptionOfThis(this);
    return stacks.get(this);
  }
}
finishInterface(Exception, { name: "Exception", length: 2, methods: ["getArg", "is"], attributes: ["stack"] });

/** The Exception object of exception instance `e` (created on first use: an exception made by wasm). */
export function exceptionFor(e: ExceptionInst): Exception {
  let o = exceptionObjects.get(e);
  if (o === undefined) {
    o = Object.create(Exception.prototype) as Exception;
    exceptionInsts.set(o, e);
    exceptionObjects.set(e, o);
    stacks.set(o, undefined);
  }
  return o;
}

/** The exception instance behind an Exception object, or undefined. */
export function exceptionInstOf(v: unknown): ExceptionInst | undefined {
  return typeof v === "object" && v !== null ? exceptionInsts.get(v) : undefined;
}

/** `WebAssembly.JSTag`: the Tag object of the JavaScript exception tag. */
export function jsTag(): Tag {
  return tagFor(JS_TAG);
}

installExceptionConversions(exceptionFor, exceptionInstOf);
