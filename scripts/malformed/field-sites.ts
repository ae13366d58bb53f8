/**
 * Where the fields are: a tolerant walk of a section's content that records the byte position of
 * every LEB128 count, size, index, limit and constant (and of single-byte tags such as value
 * types and limit flags), so mutations can hit a field instead of random bytes. Works on core
 * module sections (all of them, function bodies instruction by instruction) and on the vector
 * sections of components. The walk stops quietly at the first thing it does not understand.
 */
import { BY_INDEX, Imm, isSupported, operatorIndex, PREFIX_FC } from "../../interpreter/decode/opcode-table.js";
import { lebLength, readUleb } from "./leb128.js";

/** What a field means, which decides how it is mutated. */
export type SiteKind = "count" | "size" | "index" | "limit" | "align" | "offset" | "const32" | "const64" | "tag";

/** A field inside a section's content. */
export interface Site {
  readonly kind: SiteKind;
  /** Offset in the section content. */
  readonly at: number;
  /** Length of the field in bytes. */
  readonly length: number;
  /** The field's value (unsigned fields and tags). */
  readonly value: number;
}

const MAX_SITES = 4000;

class Walker {
  readonly sites: Site[] = [];
  pos = 0;
  constructor(readonly b: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.b.length || this.sites.length >= MAX_SITES;
  }

  u32(kind: SiteKind): number {
    const f = readUleb(this.b, this.pos, this.b.length);
    if (f === undefined) throw new Stop();
    this.sites.push({ kind, at: this.pos, length: f.length, value: f.value });
    this.pos += f.length;
    return f.value;
  }

  signed(kind: "const32" | "const64"): void {
    const n = lebLength(this.b, this.pos, this.b.length, kind === "const32" ? 5 : 10);
    if (n === undefined) throw new Stop();
    this.sites.push({ kind, at: this.pos, length: n, value: 0 });
    this.pos += n;
  }

  byte(): number {
    if (this.pos >= this.b.length) throw new Stop();
    return this.b[this.pos++]!;
  }

  tag(): number {
    if (this.pos >= this.b.length) throw new Stop();
    const v = this.b[this.pos]!;
    this.sites.push({ kind: "tag", at: this.pos, length: 1, value: v });
    this.pos++;
    return v;
  }

  skip(n: number): void {
    if (this.pos + n > this.b.length) throw new Stop();
    this.pos += n;
  }

  name(): void {
    this.skip(this.u32("size"));
  }

  limits(): void {
    const flag = this.tag();
    this.u32("limit");
    if (flag & 1) this.u32("limit");
  }

  constExpr(): void {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return;
      this.immediates(op);
    }
  }

  blockType(): void {
    const t = this.b[this.pos];
    if (t === undefined) throw new Stop();
    if (t === 0x40 || (t >= 0x6f && t <= 0x7f)) this.tag();
    else this.signed("const32");
  }

  /** Immediates of instruction `op` (whose opcode byte was just read), as the opcode table lays them out. */
  immediates(op: number): void {
    let word = op;
    if (op === PREFIX_FC) {
      const sub = this.u32("tag");
      if (sub > 0xff) throw new Stop();
      word = 0xfc00 | sub;
    }
    const ins = BY_INDEX[operatorIndex(word)];
    if (!isSupported(ins)) throw new Stop();
    switch (ins.imm) {
      case Imm.none:
        return;
      case Imm.blockType:
        return this.blockType();
      case Imm.index:
        this.u32("index");
        return;
      case Imm.twoIndices:
        this.u32("index");
        this.u32("index");
        return;
      case Imm.brTable: {
        const n = this.u32("count");
        for (let i = 0; i <= n && !this.done; i++) this.u32("index");
        return;
      }
      case Imm.selectT: {
        const n = this.u32("count");
        for (let i = 0; i < n; i++) this.tag();
        return;
      }
      case Imm.memArg:
        this.u32("align");
        this.u32("offset");
        return;
      case Imm.refType:
      case Imm.zeroByte:
        this.tag();
        return;
      case Imm.twoZeroBytes:
        this.tag();
        this.tag();
        return;
      case Imm.indexZeroByte:
        this.u32("index");
        this.tag();
        return;
      case Imm.i32:
        return this.signed("const32");
      case Imm.i64:
        return this.signed("const64");
      case Imm.f32:
        return this.skip(4);
      case Imm.f64:
        return this.skip(8);
    }
  }

  vec(each: () => void): void {
    const n = this.u32("count");
    for (let i = 0; i < n && !this.done; i++) each();
  }
}

class Stop {}

function walkCore(w: Walker, id: number): void {
  switch (id) {
    case 0: w.name(); return;
    case 1: return w.vec(() => {
      w.tag();
      const np = w.u32("count");
      for (let i = 0; i < np; i++) w.tag();
      const nr = w.u32("count");
      for (let i = 0; i < nr; i++) w.tag();
    });
    case 2: return w.vec(() => {
      w.name();
      w.name();
      const kind = w.tag();
      if (kind === 0) w.u32("index");
      else if (kind === 1) {
        w.tag();
        w.limits();
      } else if (kind === 2) w.limits();
      else if (kind === 3) {
        w.tag();
        w.tag();
      } else throw new Stop();
    });
    case 3: return w.vec(() => void w.u32("index"));
    case 4: return w.vec(() => {
      w.tag();
      w.limits();
    });
    case 5: return w.vec(() => w.limits());
    case 6: return w.vec(() => {
      w.tag();
      w.tag();
      w.constExpr();
    });
    case 7: return w.vec(() => {
      w.name();
      w.tag();
      w.u32("index");
    });
    case 8: w.u32("index"); return;
    case 9: return w.vec(() => {
      const flags = w.u32("tag");
      if (flags > 7) throw new Stop();
      if (flags === 2 || flags === 6) w.u32("index");
      if ((flags & 1) === 0) w.constExpr();
      if (flags & 3) w.tag();
      if (flags & 4) w.vec(() => w.constExpr());
      else w.vec(() => void w.u32("index"));
    });
    case 10: return w.vec(() => {
      const size = w.u32("size");
      const end = w.pos + size;
      if (end > w.b.length) throw new Stop();
      w.vec(() => {
        w.u32("count");
        w.tag();
      });
      while (w.pos < end && !w.done) w.immediates(w.byte());
      w.pos = end;
    });
    case 11: return w.vec(() => {
      const flags = w.u32("tag");
      if (flags === 2) w.u32("index");
      if (flags !== 1) w.constExpr();
      w.skip(w.u32("size"));
    });
    case 12: w.u32("count"); return;
    default: return;
  }
}

const COMPONENT_VECTOR_SECTIONS = new Set([2, 3, 5, 6, 7, 8, 10, 11]);

/** The fields of a section's content. `kind` says whether it belongs to a core module or a component. */
export function fieldSites(kind: "core" | "component", id: number, content: Uint8Array): Site[] {
  const w = new Walker(content);
  try {
    if (kind === "core") walkCore(w, id);
    else if (id === 0) w.name();
    else if (COMPONENT_VECTOR_SECTIONS.has(id)) w.u32("count");
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return w.sites;
}
