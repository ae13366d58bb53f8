/**
 * Linking (spec "Instantiation", steps on imports): resolves each import of a module from the
 * import object and checks it against the import's type ("import matching": function types
 * equivalent, table/memory limits within and table element types equal, global mutability equal
 * and global types matching, tag types equal, `decode/matching.ts`; runtime instances keep types in canonical form). Failures are
 * `LinkError`s naming the module/field and both types.
 */
import type { FuncType, Import, Limits } from "../decode/module.js";
import { funcTypeId, matchesValType, toCanonical } from "../decode/matching.js";
import { valTypeName } from "../decode/module.js";
import { LinkError } from "../errors.js";
import { FuncInst } from "../runtime/func.js";
import type { HostFunction } from "../runtime/func.js";
import { GlobalInst } from "../runtime/global.js";
import type { InstanceRuntime } from "../runtime/instance.js";
import { MemoryInst } from "../runtime/memory.js";
import { TableInst } from "../runtime/table.js";
import { TagInst } from "../runtime/tag.js";

/** Turns a JS-API object (Memory, Table, Global, Tag, exported function) into its runtime instance. */
export type ExternResolver = (v: unknown) => FuncInst | MemoryInst | TableInst | GlobalInst | TagInst | undefined;

export function funcTypeText(t: FuncType): string {
  return `(${t.params.map(valTypeName).join(", ")}) -> (${t.results.map(valTypeName).join(", ")})`;
}

function limitsText(min: number, max: number | undefined): string {
  return max === undefined ? `{min ${min}}` : `{min ${min}, max ${max}}`;
}

function limitsMatch(actualMin: number, actualMax: number | undefined, want: Limits): boolean {
  if (actualMin < want.min) return false;
  if (want.max === undefined) return true;
  return actualMax !== undefined && actualMax <= want.max;
}

/**
 * Imports already read from an import object, one value per import in order (the JS API's "read
 * the imports" does that, with its own getter order and errors): instance objects of this
 * runtime (`FuncInst`, `MemoryInst`, `TableInst`, `GlobalInst`) or host functions.
 */
export class ResolvedImports {
  constructor(readonly values: readonly unknown[]) {}
}

/**
 * Resolves every import of `inst.module` into `inst`'s index spaces, from an import object
 * (`importObject[module][name]`) or from {@link ResolvedImports}.
 */
export function linkImports(inst: InstanceRuntime, importObject: unknown, resolve: ExternResolver): void {
  const m = inst.module;
  const pre = importObject instanceof ResolvedImports ? importObject.values : undefined;
  for (let k = 0; k < m.imports.length; k++) {
    const imp = m.imports[k]!;
    const where = `import "${imp.module}" "${imp.name}"`;
    let v: unknown = undefined;
    if (pre !== undefined) v = pre[k];
    else if (importObject !== undefined && importObject !== null) {
      const ns = (importObject as Record<string, unknown>)[imp.module];
      if (ns !== undefined && ns !== null && (typeof ns === "object" || typeof ns === "function")) v = (ns as Record<string, unknown>)[imp.name];
    }
    if (v === undefined) throw new LinkError("unknown-import", `${where}: not provided by the import object (expected ${describeWanted(m.types, imp)})`);
    const d = imp.desc;
    switch (d.kind) {
      case "func": {
        const want = m.types[d.typeIndex]!;
        const r = resolve(v);
        if (!(r instanceof FuncInst) && typeof v !== "function") throw new LinkError("incompatible-import", `${where}: expected a function ${funcTypeText(want)}, got ${typeof v}`);
        if (r instanceof FuncInst) {
          // (defined types are final: a function type matches only an equivalent one)
          if (r.sigId !== inst.sigIds[d.typeIndex]!) throw new LinkError("incompatible-import", `${where}: expected function type ${funcTypeText(want)}, got ${funcTypeText(r.type)}`);
          inst.funcs.push(r);
        } else {
          inst.funcs.push(new FuncInst(want, undefined, -1, v as HostFunction));
        }
        break;
      }
      case "memory": {
        const r = resolve(v);
        if (!(r instanceof MemoryInst)) throw new LinkError("incompatible-import", `${where}: expected a memory ${limitsText(d.type.limits.min, d.type.limits.max)}, got ${describeValue(v)}`);
        if (r.is64 !== (d.type.addressType === 0x7e)) throw new LinkError("incompatible-import", `${where}: expected a memory of address type ${valTypeName(d.type.addressType)}, got one of ${r.is64 ? "i64" : "i32"}`);
        if (!limitsMatch(r.pages, r.max, d.type.limits)) throw new LinkError("incompatible-import", `${where}: expected memory limits ${limitsText(d.type.limits.min, d.type.limits.max)}, got ${limitsText(r.pages, r.max)}`);
        inst.memories.push(r);
        break;
      }
      case "table": {
        const r = resolve(v);
        if (!(r instanceof TableInst)) throw new LinkError("incompatible-import", `${where}: expected a table of ${valTypeName(d.type.elemType)}, got ${describeValue(v)}`);
        // (table element types are invariant: equal in canonical form)
        if (r.elemType !== toCanonical(d.type.elemType, inst.sigIds)) throw new LinkError("incompatible-import", `${where}: expected a table of ${valTypeName(d.type.elemType)}, got a table of ${valTypeName(r.elemType)}`);
        if (r.is64 !== (d.type.addressType === 0x7e)) throw new LinkError("incompatible-import", `${where}: expected a table of address type ${valTypeName(d.type.addressType)}, got one of ${r.is64 ? "i64" : "i32"}`);
        if (!limitsMatch(r.length, r.max, d.type.limits)) throw new LinkError("incompatible-import", `${where}: expected table limits ${limitsText(d.type.limits.min, d.type.limits.max)}, got ${limitsText(r.length, r.max)}`);
        inst.tables.push(r);
        break;
      }
      case "tag": {
        const want = m.types[d.typeIndex]!;
        const r = resolve(v);
        if (!(r instanceof TagInst)) throw new LinkError("incompatible-import", `${where}: expected a tag ${funcTypeText(want)}, got ${describeValue(v)}`);
        if (funcTypeId(r.type) !== inst.sigIds[d.typeIndex]!) throw new LinkError("incompatible-import", `${where}: expected tag type ${funcTypeText(want)}, got ${funcTypeText(r.type)}`);
        inst.tags.push(r);
        break;
      }
      case "global": {
        const want = d.type;
        const wantText = `${want.mutable ? "mut " : ""}${valTypeName(want.valType)}`;
        const wantType = toCanonical(want.valType, inst.sigIds);
        const r = resolve(v);
        if (r instanceof GlobalInst) {
          // (an immutable global's type is covariant, a mutable one's invariant)
          if (r.mutable !== want.mutable || (want.mutable ? r.type !== wantType : !matchesValType(r.type, wantType, undefined))) throw new LinkError("incompatible-import", `${where}: expected global ${wantText}, got global ${r.mutable ? "mut " : ""}${valTypeName(r.type)}`);
          inst.globals.push(r);
          break;
        }
        if (want.mutable) throw new LinkError("incompatible-import", `${where}: expected a Global object (mut ${valTypeName(want.valType)}), got ${describeValue(v)}`);
        const g = new GlobalInst(wantType, false);
        if (want.valType === 0x7e) {
          if (typeof v !== "bigint") throw new LinkError("incompatible-import", `${where}: expected global i64 (a BigInt), got ${describeValue(v)}`);
          g.w[0] = Number(BigInt.asIntN(32, v));
          g.w[1] = Number(BigInt.asIntN(32, v >> 32n));
        } else if (want.valType === 0x7f || want.valType === 0x7d || want.valType === 0x7c) {
          if (typeof v !== "number") throw new LinkError("incompatible-import", `${where}: expected global ${wantText} (a Number), got ${describeValue(v)}`);
          if (want.valType === 0x7f) g.w[0] = v | 0;
          else if (want.valType === 0x7d) new Float32Array(g.w.buffer)[0] = v;
          else new Float64Array(g.w.buffer)[0] = v;
        } else {
          throw new LinkError("incompatible-import", `${where}: expected a Global object (${wantText}), got ${describeValue(v)}`);
        }
        inst.globals.push(g);
        break;
      }
    }
  }
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

function describeWanted(types: readonly FuncType[], imp: Import): string {
  const d = imp.desc;
  switch (d.kind) {
    case "func": return `function ${funcTypeText(types[d.typeIndex]!)}`;
    case "memory": return `memory ${limitsText(d.type.limits.min, d.type.limits.max)}`;
    case "table": return `table of ${valTypeName(d.type.elemType)} ${limitsText(d.type.limits.min, d.type.limits.max)}`;
    case "global": return `global ${d.type.mutable ? "mut " : ""}${valTypeName(d.type.valType)}`;
    case "tag": return `tag ${funcTypeText(types[d.typeIndex]!)}`;
  }
}
