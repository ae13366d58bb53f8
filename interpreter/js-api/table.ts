/**
 * `WebAssembly.Table`: a JS object over a table instance (`../runtime/table.ts`). funcref tables
 * hold exported functions or null; externref tables any JS value. One object per table instance.
 */
import { InvalidArgumentRangeError, InvalidArgumentTypeError } from "../errors.js";
import { Store } from "../runtime/store.js";
import { TableInst } from "../runtime/table.js";
import { isFuncRefType, isNullable, valTypeName } from "../decode/module.js";
import { fromFuncRef, toFuncRef, toRefOfType } from "./functions.js";
import { addressValueToU64, finishInterface, notA, requireArgs, toDictionary, toEnum } from "./webidl.js";

const FUNCREF = 0x70, EXTERNREF = 0x6f, EXNREF = 0x69;
const tables = new WeakMap<object, TableInst>();
const objects = new WeakMap<TableInst, Table>();

/** Descriptor of `new Table(...)`. */
export interface TableDescriptor {
  readonly element: "anyfunc" | "funcref" | "externref";
  /** Elements: a number for the address type "i32", a bigint for "i64". */
  readonly initial: number | bigint;
  readonly maximum?: number | bigint;
  /** The address type: "i32" (default) or "i64" (a 64-bit table, table64). */
  readonly address?: "i32" | "i64";
}

function tableOf(self: unknown): TableInst {
  const t = typeof self === "object" && self !== null ? tables.get(self) : undefined;
  return t ?? notA("Table", "this", self);
}

/** ToWebAssemblyValue for an element of type `t`. */
function toRef(t: number, argument: string, v: unknown): unknown {
  if ((t & ~0x100) === EXNREF) throw noExnref(); // exnref or (ref exn)
  return t === FUNCREF ? toFuncRef(argument, v) : t === EXTERNREF ? v : toRefOfType(argument, t, v);
}
/** The JS API's TypeError for reading or writing an exnref table's elements from JavaScript. */
function noExnref(): TypeError {
  return new InvalidArgumentTypeError("this", "the elements of an exnref table cannot cross the JavaScript boundary");
}
/** ToJSValue for an element of type `t`. */
function fromRef(t: number, v: unknown): unknown {
  return isFuncRefType(t) ? fromFuncRef(v) : v;
}
/**
 * DefaultValue(t): undefined for externref, null for the other nullable reference types (funcref,
 * exnref, `(ref null $t)`); a non-nullable type has none (a TypeError naming `argument`).
 */
function defaultRef(t: number, argument = "value"): unknown {
  if (t === EXTERNREF) return undefined;
  if (!isNullable(t)) throw new InvalidArgumentTypeError(argument, `a table of ${valTypeName(t)} has no default value: give one`);
  return null;
}

/** A table of references (`WebAssembly.Table`). */
export class Table {
  /** Creates a table of `descriptor.initial` elements, each `value` (default: null funcref / undefined externref). */
  constructor(descriptor: TableDescriptor, ...rest: unknown[]) {
    requireArgs("WebAssembly.Table", arguments.length, 1);
    const d = toDictionary("descriptor", descriptor);
    const rawElement = d.element;
    if (rawElement === undefined) throw new InvalidArgumentTypeError("descriptor.element", "is required");
    const et = toEnum("descriptor.element", rawElement, ["anyfunc", "funcref", "externref"]) === "externref" ? EXTERNREF : FUNCREF;
    const address = d.address;
    const is64 = address !== undefined && toEnum("descriptor.address", address, ["i32", "i64"]) === "i64";
    const rawInitial = d.initial;
    if (rawInitial === undefined) throw new InvalidArgumentTypeError("descriptor.initial", "is required");
    const initial = addressValueToU64("descriptor.initial", rawInitial, is64);
    const rawMaximum = d.maximum;
    const maximum = rawMaximum === undefined ? undefined : addressValueToU64("descriptor.maximum", rawMaximum, is64);
    if (maximum !== undefined && maximum < initial) throw new InvalidArgumentRangeError("descriptor.maximum", `table maximum ${maximum} below initial ${initial}`);
    const limit = new Store().limits.maxTableElements;
    if (initial > limit) throw new InvalidArgumentRangeError("descriptor.initial", `${initial} elements is above this store's limit maxTableElements = ${limit}`);
    const init = rest.length === 0 || rest[0] === undefined ? defaultRef(et) : toRef(et, "value", rest[0]);
    const t = new TableInst(et, initial, maximum, limit, init, is64);
    tables.set(this, t);
    objects.set(t, this);
  }

  /** The current number of elements (a bigint for a 64-bit table). */
  get length(): number | bigint {
    const t = tableOf(this);
    return t.is64 ? BigInt(t.length) : t.length;
  }

  /** Grows by `delta` elements (each `value`, default DefaultValue); returns the old length (a bigint for a 64-bit table). @throws RangeError */
  grow(delta: number | bigint, ...rest: unknown[]): number | bigint {
    const t = tableOf(this);
    requireArgs("Table.prototype.grow", arguments.length, 1);
    const d = addressValueToU64("delta", delta, t.is64);
    const init = rest.length === 0 || rest[0] === undefined ? defaultRef(t.elemType) : toRef(t.elemType, "value", rest[0]);
    const r = t.grow(d, init);
    if (r < 0) throw new InvalidArgumentRangeError("delta", `table cannot grow by ${d} from ${t.length} (maximum ${t.cap})`);
    return t.is64 ? BigInt(r) : r;
  }

  /** The element at `index`. @throws RangeError past the end */
  get(index: number | bigint): unknown {
    const t = tableOf(this);
    requireArgs("Table.prototype.get", arguments.length, 1);
    if ((t.elemType & ~0x100) === EXNREF) throw noExnref();
    const i = addressValueToU64("index", index, t.is64);
    if (i >= t.length) throw new InvalidArgumentRangeError("index", `table index ${i} out of bounds (length ${t.length})`);
    return fromRef(t.elemType, t.elements[i]);
  }

  /** Sets the element at `index` to `value` (default DefaultValue). @throws RangeError past the end */
  set(index: number | bigint, ...rest: unknown[]): void {
    const t = tableOf(this);
    requireArgs("Table.prototype.set", arguments.length, 1);
    if ((t.elemType & ~0x100) === EXNREF) throw noExnref();
    const i = addressValueToU64("index", index, t.is64);
    if (i >= t.length) throw new InvalidArgumentRangeError("index", `table index ${i} out of bounds (length ${t.length})`);
    // unlike the constructor and grow, an explicit undefined is converted (a TypeError for funcref)
    t.elements[i] = rest.length === 0 ? defaultRef(t.elemType) : toRef(t.elemType, "value", rest[0]);
  }
}
finishInterface(Table, { name: "Table", length: 1, methods: ["grow", "get", "set"], attributes: ["length"] });

/** The Table object of table instance `t` (created on first use). */
export function tableFor(t: TableInst): Table {
  let o = objects.get(t);
  if (o === undefined) {
    o = Object.create(Table.prototype) as Table;
    tables.set(o, t);
    objects.set(t, o);
  }
  return o;
}

/** The table instance behind a Table object, or undefined. */
export function tableInstOf(v: unknown): TableInst | undefined {
  return typeof v === "object" && v !== null ? tables.get(v) : undefined;
}
