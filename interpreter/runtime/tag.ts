/**
 * Tag and exception instances (spec "Tag Instances", "Exception Instances"; Wasm 3.0 exception
 * handling). A tag is compared by identity (two tags of the same type are different tags); an
 * exception is a tag plus its payload, the values of the tag type's parameters. An `exnref`
 * value is an {@link ExceptionInst} (or null).
 *
 * The payload is kept as the executor keeps values (docs/architecture.md "Value slots"): two
 * words per slot (a v128 takes two slots) and, for references, the reference per slot, so a
 * `throw` copies words and a catch writes them straight into the handler label's slots.
 */
import type { FuncType } from "../decode/module.js";

const V128 = 0x7b, FUNCREF = 0x70, EXTERNREF = 0x6f, EXNREF = 0x69;

export class TagInst {
  /** The tag type: the payload is `type.params`; `type.results` is empty. */
  readonly type: FuncType;
  /** Value slots the payload takes. */
  readonly slots: number;
  /** Whether the payload holds a reference (then `ExceptionInst.refs` is set). */
  readonly hasRefs: boolean;

  constructor(type: FuncType) {
    this.type = type;
    let slots = 0, refs = false;
    for (const t of type.params) {
      slots += t === V128 ? 2 : 1;
      if (t === FUNCREF || t === EXTERNREF || t === EXNREF) refs = true;
    }
    this.slots = slots;
    this.hasRefs = refs;
  }
}

/** An exception: a tag and its payload (see the file comment). Immutable once made. */
export class ExceptionInst {
  constructor(
    readonly tag: TagInst,
    /** The payload's words (two per slot). */
    readonly words: Int32Array,
    /** The payload's references by slot, when the tag type has any; else null. */
    readonly refs: unknown[] | null,
  ) {}
}

/**
 * The JavaScript exception tag (JS API "get the JavaScript exception tag"): one per agent, type
 * `[externref] -> []`. A JavaScript value thrown by a host function into wasm becomes an
 * exception of this tag whose payload is that value; such an exception leaving wasm is thrown
 * to JavaScript as the value itself.
 */
export const JS_TAG = new TagInst({ params: [EXTERNREF], results: [] });

/** The exception standing for JavaScript value `v` thrown into wasm (tag {@link JS_TAG}). */
export function jsValueException(v: unknown): ExceptionInst {
  return new ExceptionInst(JS_TAG, new Int32Array(2), [v]);
}

/** A new exception of `tag` whose payload sits at word `base` of a value store (`throw`). */
export function newException(tag: TagInst, s32: Int32Array, refs: readonly unknown[], base: number): ExceptionInst {
  const words = s32.slice(base, base + 2 * tag.slots);
  const r = tag.hasRefs ? refs.slice(base >> 1, (base >> 1) + tag.slots) : null;
  return new ExceptionInst(tag, words, r);
}
