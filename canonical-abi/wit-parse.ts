/**
 * A parser for WIT type expressions written inline, for `pureflow-wasm abi explain` and the
 * teaching tools: every WIT value type (`bool`, `s8` … `u64`, `f32`, `f64`, `char`, `string`,
 * `list<T>`, `option<T>`, `result`, `result<T>`, `result<_, E>`, `result<T, E>`,
 * `tuple<A, B, …>`), and — anonymous here, though WIT only allows them as named definitions —
 * `record { a: T, … }`, `variant { a(T), b, … }`, `enum { a, … }`, `flags { a, … }`; and function
 * types `func(a: T, …) -> R`. Labels follow WIT's kebab-case rule. The result is the same type
 * descriptor the lifter and lowerer use (`types.ts`).
 */
import { ComponentError, InvalidArgumentError } from "./errors.js";
import { T, primitive, type FuncType, type PrimitiveKind, type ValType } from "./types.js";

const PRIMITIVES = new Set<string>(["bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string"]);
const LABEL = /^%?[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;

/** A syntax error in a WIT type expression (code `wit-syntax`): what was expected and where (column, 1-based). */
export class WitSyntaxError extends ComponentError {
  constructor(message: string, readonly column: number) {
    super("wit-syntax", `invalid WIT type: ${message} (at column ${column})`);
    this.name = "WitSyntaxError";
  }
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private fail(what: string): never {
    const found = this.i >= this.s.length ? "the end" : `\`${this.s.slice(this.i, this.i + 12)}\``;
    throw new WitSyntaxError(`expected ${what}, found ${found}`, this.i + 1);
  }

  peek(c: string): boolean {
    this.ws();
    return this.s.startsWith(c, this.i);
  }

  eat(c: string): boolean {
    if (!this.peek(c)) return false;
    this.i += c.length;
    return true;
  }

  expect(c: string): void {
    if (!this.eat(c)) this.fail(`\`${c}\``);
  }

  word(): string {
    this.ws();
    const m = /^%?[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i));
    if (m === null) this.fail("a name");
    this.i += m[0].length;
    return m[0];
  }

  label(): string {
    const at = this.i;
    const w = this.word();
    if (!LABEL.test(w)) {
      this.i = at;
      this.ws();
      throw new WitSyntaxError(`\`${w}\` is not a WIT label (kebab-case: lowercase words joined by -)`, this.i + 1);
    }
    return w.startsWith("%") ? w.slice(1) : w;
  }

  end(): void {
    this.ws();
    if (this.i < this.s.length) this.fail("the end of the type");
  }

  /** A comma-separated list up to `close` (a trailing comma allowed), each item read by `item`. */
  list<X>(close: string, item: () => X): X[] {
    const out: X[] = [];
    while (!this.eat(close)) {
      out.push(item());
      if (!this.eat(",")) {
        this.expect(close);
        break;
      }
    }
    return out;
  }

  labels(what: string): string[] {
    this.expect("{");
    const labels = this.list("}", () => this.label());
    if (labels.length === 0) this.fail(`at least one ${what}`);
    unique(labels, what, this.i);
    return labels;
  }

  type(): ValType {
    const at = this.i;
    const w = this.word();
    if (PRIMITIVES.has(w)) return primitive(w as PrimitiveKind);
    switch (w) {
      case "list": {
        this.expect("<");
        const elem = this.type();
        this.expect(">");
        return T.list(elem);
      }
      case "option": {
        this.expect("<");
        const t = this.type();
        this.expect(">");
        return T.option(t);
      }
      case "result": {
        if (!this.eat("<")) return T.result(null, null);
        const ok = this.eat("_") ? null : this.type();
        const err = this.eat(",") ? this.type() : null;
        this.expect(">");
        if (ok === null && err === null) this.fail("an error type after `result<_,`");
        return T.result(ok, err);
      }
      case "tuple": {
        this.expect("<");
        const types = this.list(">", () => this.type());
        if (types.length === 0) this.fail("at least one tuple member");
        return T.tuple(types);
      }
      case "record": {
        this.expect("{");
        const fields = this.list("}", () => {
          const l = this.label();
          this.expect(":");
          return [l, this.type()] as const;
        });
        if (fields.length === 0) this.fail("at least one record field");
        unique(fields.map(([l]) => l), "field", this.i);
        return T.record(fields);
      }
      case "variant": {
        this.expect("{");
        const cases = this.list("}", () => {
          const l = this.label();
          if (!this.eat("(")) return [l, null] as const;
          const t = this.type();
          this.expect(")");
          return [l, t] as const;
        });
        if (cases.length === 0) this.fail("at least one variant case");
        unique(cases.map(([l]) => l), "case", this.i);
        return T.variant(cases);
      }
      case "enum": return T.enum(this.labels("enum case"));
      case "flags": return T.flags(this.labels("flag"));
      default:
        this.i = at;
        this.ws();
        throw new WitSyntaxError(`unknown type \`${w}\` (a WIT value type: bool, s8..u64, f32, f64, char, string, list, option, result, tuple, record, variant, enum, flags)`, this.i + 1);
    }
  }

  func(): FuncType {
    this.expect("(");
    const params = this.list(")", () => {
      const l = this.label();
      this.expect(":");
      return [l, this.type()] as const;
    });
    unique(params.map(([l]) => l), "parameter", this.i);
    const result = this.eat("->") ? this.type() : null;
    return T.func(params, result);
  }
}

function unique(labels: readonly string[], what: string, at: number): void {
  const seen = new Set<string>();
  for (const l of labels) {
    if (seen.has(l)) throw new WitSyntaxError(`duplicate ${what} \`${l}\``, at);
    seen.add(l);
  }
}

/** Parses a WIT value type expression, e.g. `record { a: u8, b: string }`. @throws WitSyntaxError */
export function parseWitType(text: string): ValType {
  if (typeof text !== "string") throw new InvalidArgumentError("type", "WIT type text", typeof text);
  const p = new Parser(text);
  const t = p.type();
  p.end();
  return t;
}

/** Parses a WIT value type or a function type (`func(a: T) -> R`). @throws WitSyntaxError */
export function parseWitTypeOrFunc(text: string): ValType | FuncType {
  if (typeof text !== "string") throw new InvalidArgumentError("type", "WIT type text", typeof text);
  const p = new Parser(text);
  if (/^\s*func\s*\(/.test(text)) {
    p.word();
    const f = p.func();
    p.end();
    return f;
  }
  const t = p.type();
  p.end();
  return t;
}
