/**
 * Instantiation: replays a validated `ComponentPlan` step by step, building the runtime index
 * spaces — compiled core modules (from the per-`Component` cache), fresh core instances in the
 * given store, aliases, nested component instances with their `with` arguments, lifted
 * functions — and returns the component instance's exports by name. Type steps are static and
 * are not replayed (`runtimeSteps`, computed once per plan): the run-time exports hold no types.
 *
 * Each component instance (nested ones included) has its own `ComponentInstanceState`
 * (`may_enter`, `may_leave`); all of them share one poison flag: a trap anywhere poisons the
 * whole tree (the spec tears down the store on a trap). `canon lower` becomes a host function
 * the core instances import, running `abi/canon-lower.ts`.
 */
import { ComponentInstanceState, type CanonicalOptions, type CoreValue, type GuestMemory, type InstanceTree } from "../abi/context.js";
import { canon_lower } from "../abi/canon-lower.js";
import type { ComponentFunction } from "./lifted-function.js";
import { ComponentError, ComponentImportNotAllowedError, ComponentLinkError } from "../errors.js";
import { toGuestTrap } from "../abi/canon-lift.js";
import type { SortName } from "../binary/ast.js";
import { guestMemory, type CoreEngine } from "./engine.js";
import { flatten_functype } from "../abi/flatten.js";
import { UNCATCHABLE } from "../../interpreter/index.js";

/** Marks `e` (an object: every error the ABI layer throws) as a trap for wasm exception handlers; a primitive passes unmarked. */
function markUncatchable(e: unknown): unknown {
  if ((typeof e === "object" || typeof e === "function") && e !== null) {
    if (Object.isExtensible(e)) Object.defineProperty(e, UNCATCHABLE, { value: true, configurable: true });
    return e;
  }
  return e;
}
import { makeLiftedFunction } from "./lifted-function.js";
import type { ComponentPlan, CoreModuleDef, Step } from "./plan.js";

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
  /** Shared by every component instance of this instantiation (poisoning). */
  readonly tree: InstanceTree;
  /** When given, every core instance's exports are appended here in creation order (for snapshots). */
  readonly coreInstances?: Record<string, unknown>[];
  /** Create core instances without initialisation (segments, start functions): a snapshot restores them. */
  readonly uninitialized?: boolean;
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

function isTypeSort(sort: SortName): boolean {
  return sort === "type" || sort === "core type";
}

/** True when a step only defines, imports, exports or aliases a type (or core type). */
function isTypeOnly(step: Step): boolean {
  switch (step.kind) {
    case "type": case "core-type": return true;
    case "import": case "export": case "alias-export": case "alias-outer": case "alias-core-export": return isTypeSort(step.sort);
    default: return false;
  }
}

const runtimeStepsCache = new WeakMap<ComponentPlan, readonly Step[]>();

/**
 * The steps instantiation replays: types are static (resolved and checked when the plan was
 * made) and no run-time value depends on them, so their steps are left out; each sort has its
 * own index space, so the other spaces keep their numbering. Computed once per plan.
 */
function runtimeSteps(plan: ComponentPlan): readonly Step[] {
  let steps = runtimeStepsCache.get(plan);
  if (steps === undefined) {
    steps = plan.steps
      .filter((step) => !isTypeOnly(step))
      .map((step): Step => {
        if (step.kind === "instantiate") return { ...step, args: step.args.filter((a) => !isTypeSort(a.sort)) };
        if (step.kind === "instance-exports") return { ...step, exports: step.exports.filter((x) => !isTypeSort(x.sort)) };
        return step;
      });
    runtimeStepsCache.set(plan, steps);
  }
  return steps;
}

function run(plan: ComponentPlan, outer: RuntimeScope | null, args: ReadonlyMap<string, RuntimeItem>, cx: InstantiationContext): RuntimeInstance {
  const scope: RuntimeScope = { parent: outer, spaces: emptySpaces() };
  const state = new ComponentInstanceState(cx.tree);
  const s = scope.spaces;
  const exports = new Map<string, RuntimeItem>();
  for (const step of runtimeSteps(plan)) {
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
          if (cx.uninitialized === true) {
            if (cx.engine.instantiateUninitialized === undefined) throw new ComponentLinkError("the core engine cannot start instances from a snapshot");
            exportsObj = cx.engine.instantiateUninitialized(s["core module"][step.module], imports, cx.store);
          } else {
            exportsObj = cx.engine.instantiate(s["core module"][step.module], imports, cx.store);
          }
        } catch (e) {
          if (e instanceof ComponentError) throw e;
          if (typeof e === "object" && e !== null && typeof (e as { trap?: unknown }).trap === "string") {
            state.poisoned = toGuestTrap(e, "start");
            throw state.poisoned;
          }
          const msg = e instanceof Error ? e.message : String(e);
          throw new ComponentLinkError(`instantiating core module ${step.module} failed: ${msg}`, { cause: e });
        }
        s["core instance"].push(exportsObj);
        cx.coreInstances?.push(exportsObj);
        break;
      }
      case "core-exports": {
        const obj: Record<string, unknown> = {};
        for (const x of step.exports) obj[x.name] = s[x.sort][x.index];
        s["core instance"].push(obj);
        break;
      }
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
      case "lift": {
        const o = step.opts;
        const f = makeLiftedFunction(
          cx.engine, cx.store, state, step.type, step.name,
          s["core func"][step.coreFunc],
          o,
          o.memory === null ? null : s["core memory"][o.memory],
          o.realloc === null ? null : s["core func"][o.realloc],
          o.postReturn === null ? null : s["core func"][o.postReturn],
        );
        s.func.push(f);
        break;
      }
      case "lower": {
        const callee = s.func[step.func] as ComponentFunction;
        const o = step.opts;
        const memory: GuestMemory | null = o.memory === null ? null : guestMemory(cx.engine, s["core memory"][o.memory]);
        const reallocFn = o.realloc === null ? null : s["core func"][o.realloc];
        const engine = cx.engine;
        const opts: CanonicalOptions = {
          memory,
          string_encoding: o.encoding,
          realloc: reallocFn === null ? null : (a: number, b: number, c: number, d: number): number => {
            const r = engine.call(reallocFn, [a | 0, b | 0, c | 0, d | 0]);
            if (typeof r[0] !== "number") throw new ComponentLinkError("realloc did not return an i32");
            return r[0];
          },
          post_return: null,
        };
        const ft = step.type;
        const single = ft.result !== null && flatten_functype(ft, "lower").results.length === 1;
        // a host function the core instance imports: core values in, core value(s) out
        // Whatever it throws is a trap for the guest: a wasm exception handler (catch_all) never catches it.
        const lowered = (...flat_args: CoreValue[]): CoreValue | undefined => {
          try {
            const out = canon_lower(opts, state, ft, (args) => callee.call(args), flat_args);
            return single ? out[0] : undefined;
          } catch (e) {
            throw markUncatchable(e);
          }
        };
        s["core func"].push(lowered);
        break;
      }
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
