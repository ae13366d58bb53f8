/**
 * Instantiation: replays a validated `ComponentPlan` step by step, building the runtime index
 * spaces — compiled core modules (from the per-`Component` cache), fresh core instances in the
 * given store, aliases, nested component instances with their `with` arguments, lifted
 * functions — and returns the component instance's exports by name.
 *
 * All nested component instances of one top-level instantiation share one
 * `ComponentInstanceState`: a trap anywhere poisons the whole tree (the spec tears down the
 * store on a trap), and reentrance is refused for the whole tree.
 */
import { ComponentInstanceState } from "../abi/context.js";
import { ComponentError, ComponentImportNotAllowedError, ComponentLinkError, UnsupportedComponentFeatureError } from "../errors.js";
import { toGuestTrap } from "../abi/canon-lift.js";
import type { SortName } from "../binary/ast.js";
import type { CoreEngine } from "./engine.js";
import { makeLiftedFunction } from "./lifted-function.js";
import type { ComponentPlan, CoreModuleDef } from "./plan.js";

/** An exported item of a component instance at run time. */
export interface RuntimeItem {
  readonly sort: SortName;
  readonly value: unknown;
}

/** A component instance's exports at run time. */
export type RuntimeInstance = ReadonlyMap<string, RuntimeItem>;

/** A component value: its plan and the scope it was defined in (for outer aliases). */
interface RuntimeComponent {
  readonly plan: ComponentPlan;
  readonly outer: RuntimeScope | null;
}

type RuntimeSpaces = Record<SortName, unknown[]>;

interface RuntimeScope {
  readonly parent: RuntimeScope | null;
  readonly spaces: RuntimeSpaces;
}

/** What one instantiation needs. */
export interface InstantiationContext {
  readonly engine: CoreEngine;
  readonly store: unknown;
  /** Compiled core modules, keyed by their definition. */
  readonly modules: ReadonlyMap<CoreModuleDef, unknown>;
  readonly state: ComponentInstanceState;
}

function emptySpaces(): RuntimeSpaces {
  return {
    "core func": [], "core table": [], "core memory": [], "core global": [], "core type": [],
    "core module": [], "core instance": [], func: [], type: [], component: [], instance: [],
  };
}

function coreSortOf(sort: SortName): string {
  return sort.startsWith("core ") ? sort.slice(5) : sort;
}

/**
 * The imports a host would have to provide: everything except `type` imports, whose `eq`
 * bound already determines them (wit-component emits those for world-level type definitions).
 */
export function importsNeedingValues(plan: ComponentPlan): string[] {
  return [...plan.imports].filter(([, et]) => et.kind !== "type").map(([name]) => name);
}

/** Instantiates a top-level component plan. A component with imports is refused, naming them all. */
export function instantiatePlan(plan: ComponentPlan, cx: InstantiationContext): RuntimeInstance {
  const needed = importsNeedingValues(plan);
  if (needed.length > 0) throw new ComponentImportNotAllowedError(needed);
  return run(plan, null, new Map(), cx);
}

function run(plan: ComponentPlan, outer: RuntimeScope | null, args: ReadonlyMap<string, RuntimeItem>, cx: InstantiationContext): RuntimeInstance {
  const scope: RuntimeScope = { parent: outer, spaces: emptySpaces() };
  const s = scope.spaces;
  const exports = new Map<string, RuntimeItem>();
  for (const step of plan.steps) {
    switch (step.kind) {
      case "core-module": {
        const m = cx.modules.get(step.def);
        if (m === undefined) throw new ComponentLinkError("internal: core module was not compiled");
        s["core module"].push(m);
        break;
      }
      case "core-instantiate": {
        const imports: Record<string, Record<string, unknown>> = {};
        for (const a of step.args) imports[a.name] = s["core instance"][a.instance] as Record<string, unknown>;
        let exportsObj: Record<string, unknown>;
        try {
          exportsObj = cx.engine.instantiate(s["core module"][step.module], imports, cx.store);
        } catch (e) {
          if (e instanceof ComponentError) throw e;
          if (typeof e === "object" && e !== null && typeof (e as { trap?: unknown }).trap === "string") {
            cx.state.poisoned = toGuestTrap(e, "start");
            throw cx.state.poisoned;
          }
          const msg = e instanceof Error ? e.message : String(e);
          throw new ComponentLinkError(`instantiating core module ${step.module} failed: ${msg}`, { cause: e });
        }
        s["core instance"].push(exportsObj);
        break;
      }
      case "core-exports": {
        const obj: Record<string, unknown> = {};
        for (const x of step.exports) obj[x.name] = s[x.sort][x.index];
        s["core instance"].push(obj);
        break;
      }
      case "core-type":
        s["core type"].push(null);
        break;
      case "component":
        s.component.push({ plan: step.plan, outer: scope } satisfies RuntimeComponent);
        break;
      case "instantiate": {
        const comp = s.component[step.component] as RuntimeComponent;
        const given = new Map<string, RuntimeItem>();
        for (const a of step.args) given.set(a.name, { sort: a.sort, value: s[a.sort][a.index] });
        s.instance.push(run(comp.plan, comp.outer, given, cx));
        break;
      }
      case "instance-exports": {
        const m = new Map<string, RuntimeItem>();
        for (const x of step.exports) m.set(x.name, { sort: x.sort, value: s[x.sort][x.index] });
        s.instance.push(m);
        break;
      }
      case "alias-export": {
        const inst = s.instance[step.instance] as RuntimeInstance;
        const item = inst.get(step.name);
        if (item === undefined) throw new ComponentLinkError(`instance ${step.instance} has no export \`${step.name}\` at run time`);
        s[step.sort].push(item.value);
        break;
      }
      case "alias-core-export": {
        const inst = s["core instance"][step.instance] as Record<string, unknown>;
        const v = inst[step.name];
        if (v === undefined) throw new ComponentLinkError(`core instance ${step.instance} has no ${coreSortOf(step.sort)} export \`${step.name}\` at run time`);
        s[step.sort].push(v);
        break;
      }
      case "alias-outer": {
        let l: RuntimeScope | null = scope;
        for (let i = 0; i < step.count && l !== null; i++) l = l.parent;
        if (l === null) throw new ComponentLinkError("outer alias beyond the outermost component");
        s[step.sort].push(l.spaces[step.sort][step.index]);
        break;
      }
      case "type":
        s.type.push(step.type);
        break;
      case "lift": {
        const o = step.opts;
        const f = makeLiftedFunction(
          cx.engine, cx.store, cx.state, step.type, step.name,
          s["core func"][step.coreFunc],
          o,
          o.memory === null ? null : s["core memory"][o.memory],
          o.realloc === null ? null : s["core func"][o.realloc],
          o.postReturn === null ? null : s["core func"][o.postReturn],
        );
        s.func.push(f);
        break;
      }
      case "lower":
        throw new UnsupportedComponentFeatureError("`canon lower` (core code calling a component-level function) is not implemented by this host");
      case "import": {
        const a = args.get(step.name);
        if (a !== undefined) s[step.sort].push(a.value);
        else if (step.bound !== null) s.type.push(step.bound);
        else throw new ComponentLinkError(`missing component instantiation argument named \`${step.name}\``);
        break;
      }
      case "export": {
        const value = s[step.sort][step.index];
        exports.set(step.name, { sort: step.sort, value });
        s[step.sort].push(value);
        break;
      }
    }
  }
  return exports;
}
