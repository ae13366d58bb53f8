/**
 * `Component` (a decoded, validated component with its core modules compiled once) and
 * `ComponentInstance` (one instantiation: fresh core instances in a given store). The core
 * engine is pluggable (see `link/engine.ts`); the public door `index.ts` registers our
 * interpreter as the default.
 */
import type { InstanceTree } from "./abi/context.js";
import { decodeComponent } from "./binary/decode.js";
import type { CoreModuleInfo } from "./binary/core-module.js";
import { argumentError, checkBytesArgument, checkOptionsArgument, checkStringPathArgument } from "./arguments.js";
import { CallSnapshotError, ComponentError, ComponentLinkError, MalformedComponentError, MissingExportError } from "./errors.js";
import type { CoreEngine } from "./link/engine.js";
import { instantiatePlan, type RuntimeInstance } from "./link/instantiate.js";
import { liftBudgetOf, liftPartsOf, type ComponentCallOptions, type ComponentFunction } from "./link/lifted-function.js";
import { ComponentCall, readComponentCallSnapshot } from "./link/lifted-call.js";
import type { ComponentPlan, CoreModuleDef } from "./link/plan.js";
import { resolveComponent } from "./link/resolve.js";
import type { ExternType } from "./link/static-types.js";
import { renderExternsAsWit } from "./wit-text.js";
import type { Value } from "./types.js";

let defaultCoreEngine: CoreEngine | undefined;

/** Sets the engine used when none is passed (the public door registers the interpreter). */
export function registerDefaultCoreEngine(engine: CoreEngine): void {
  defaultCoreEngine = checkEngineArgument("engine", engine);
}

/** `v` must look like a {@link CoreEngine}: an object with `compile`, `instantiate` and `call` functions. */
function checkEngineArgument(argument: string, v: unknown): CoreEngine {
  const e = v as Partial<Record<keyof CoreEngine, unknown>> | null;
  if (e === null || typeof e !== "object" || typeof e.compile !== "function" || typeof e.instantiate !== "function" || typeof e.call !== "function"
    || (e.callAsync !== undefined && typeof e.callAsync !== "function")) {
    throw argumentError(argument, "a core engine (an object with compile, instantiate and call functions)", v);
  }
  return v as CoreEngine;
}

/** Options of {@link Component.fromBytes}. */
export interface ComponentOptions {
  /** The core engine (default: the interpreter). */
  readonly engine?: CoreEngine;
}

/** A core module of the component, as `inspect` shows it. */
export interface CoreModuleSummary {
  /** Size in bytes. */
  readonly size: number;
  /** `module` `name` (kind) of every import. */
  readonly imports: readonly { readonly module: string; readonly name: string; readonly kind: string }[];
  /** Name and kind of every export. */
  readonly exports: readonly { readonly name: string; readonly kind: string }[];
}

function allCoreModules(plan: ComponentPlan, out: CoreModuleDef[]): CoreModuleDef[] {
  for (const step of plan.steps) {
    if (step.kind === "core-module") out.push(step.def);
    else if (step.kind === "component") allCoreModules(step.plan, out);
  }
  return out;
}

function summary(info: CoreModuleInfo): CoreModuleSummary {
  return {
    size: info.size,
    imports: info.imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind })),
    exports: info.exports.map((e) => ({ name: e.name, kind: e.kind })),
  };
}

/** A decoded and validated component whose core modules are compiled (once). */
export class Component {
  /** The component's exports with their types. */
  readonly exports: ReadonlyMap<string, ExternType>;
  /** The component's imports with their types (instantiation refuses any). */
  readonly imports: ReadonlyMap<string, ExternType>;
  /** Every core module (nested components' included), in definition order. */
  readonly coreModules: readonly CoreModuleSummary[];
  /** The engine the core modules were compiled with. */
  readonly engine: CoreEngine;
  /** @internal */
  readonly plan: ComponentPlan;
  /** @internal compiled core modules by definition. */
  readonly compiled: ReadonlyMap<CoreModuleDef, unknown>;

  private constructor(plan: ComponentPlan, engine: CoreEngine, compiled: Map<CoreModuleDef, unknown>, modules: CoreModuleDef[]) {
    this.plan = plan;
    this.engine = engine;
    this.compiled = compiled;
    this.exports = plan.exports;
    this.imports = plan.imports;
    this.coreModules = modules.map((d) => summary(d.info));
  }

  /**
   * Decodes `bytes`, validates the component (index spaces, types, canonical options, core
   * signatures) and compiles each core module once. Throws `ComponentError`s only: decode
   * errors, unsupported features, link errors; a core module the engine rejects is a
   * `malformed-component` error naming the module and the engine's message; a wrong argument is
   * an `InvalidArgumentError`.
   */
  static fromBytes(bytes: Uint8Array, options?: ComponentOptions): Component {
    checkBytesArgument("bytes", bytes);
    const opts = checkOptionsArgument("options", options);
    const engine = opts.engine === undefined ? defaultCoreEngine : checkEngineArgument("options.engine", opts.engine);
    if (engine === undefined) throw new ComponentLinkError("no core engine: import the public door `canonical-abi/index.js` or pass `engine`");
    const ast = decodeComponent(bytes);
    const plan = resolveComponent(ast);
    const modules = allCoreModules(plan, []);
    const compiled = new Map<CoreModuleDef, unknown>();
    modules.forEach((def, i) => {
      try {
        compiled.set(def, engine.compile(def.bytes));
      } catch (e) {
        if (e instanceof ComponentError) throw e;
        const msg = e instanceof Error ? e.message : String(e);
        const err = new MalformedComponentError(`core module ${i} does not compile: ${msg}`, def.offset);
        (err as { cause?: unknown }).cause = e;
        throw err;
      }
    });
    return new Component(plan, engine, compiled, modules);
  }

  /** The component's exports rendered as WIT text. */
  toWit(): string {
    return renderExternsAsWit(this.exports);
  }
}

/** Options of {@link instantiateComponent}. */
export interface InstantiateOptions {
  /** The interpreter `Store` the core instances live in (fuel, cancellation, limits apply to every core call). */
  readonly store?: unknown;
  /**
   * Start from this snapshot (of this component): the core instances are created without
   * running segments or start functions and get the captured state instead. Start functions'
   * fuel is then not charged to `store` (the snapshot's `fuel` says how much it was).
   */
  readonly snapshot?: ComponentSnapshot;
}

/**
 * The state of a component's core instances right after one instantiation — data segments
 * applied, start functions (e.g. wit-component's call of a guest's `_initialize`) run — from
 * which later instantiations start ({@link instantiateComponent} with `snapshot`, issue 18).
 */
export class ComponentSnapshot {
  /** @internal */
  constructor(
    /** The component it was taken of. */
    readonly component: Component,
    /** @internal the engine's captured state. */
    readonly state: unknown,
    /** Fuel the instantiation consumed (start functions) in the store it ran in. */
    readonly fuel: number,
  ) {}
}

/**
 * Instantiates `component` once in `options.store` and captures the state of its core
 * instances. `fuel` is read from `fuelConsumed` (a function: the engine's store is opaque here).
 * Throws the instantiation's errors (a trapping start function...), or a `ComponentLinkError`
 * when the engine has no snapshots or the state cannot be captured (a table holding a function
 * from outside the component, a non-null externref).
 */
export function snapshotComponent(component: Component, options: { readonly store?: unknown; readonly fuelConsumed?: () => number } = {}): ComponentSnapshot {
  if (!(component instanceof Component)) throw argumentError("component", "a Component (from Component.fromBytes)", component);
  const engine = component.engine;
  if (engine.snapshot === undefined || engine.restore === undefined || engine.instantiateUninitialized === undefined) {
    throw new ComponentLinkError("the core engine cannot snapshot instances");
  }
  const coreInstances: Record<string, unknown>[] = [];
  instantiatePlan(component.plan, { engine, store: options.store, modules: component.compiled, tree: { poisoned: null }, coreInstances });
  let state: unknown;
  try {
    state = engine.snapshot(coreInstances);
  } catch (e) {
    throw new ComponentLinkError(`the component's instances cannot be captured: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return new ComponentSnapshot(component, state, options.fuelConsumed === undefined ? 0 : options.fuelConsumed());
}

/** One instantiation of a component. */
export class ComponentInstance {
  /** The instance's exports: functions and interface instances by name. */
  readonly exports: RuntimeInstance;
  /** @internal the poison flag shared by the instance tree. */
  readonly tree: InstanceTree;

  /** @internal every core instance's exports, in creation order (execution snapshots). */
  readonly coreInstances: readonly Record<string, unknown>[];

  /** @internal */
  constructor(exports: RuntimeInstance, tree: InstanceTree, coreInstances: readonly Record<string, unknown>[] = []) {
    this.exports = exports;
    this.tree = tree;
    this.coreInstances = coreInstances;
  }

  /**
   * Starts a call of the function at `path` that runs in steps (execution snapshots, issue 16;
   * `link/lifted-call.ts`): the arguments are lowered now; `run()` runs the core call until it
   * returns or the store runs out of fuel, when `capture()` writes the whole call to bytes that
   * {@link restoreComponentCall} continues from; `finish()` lifts the result. Throws what
   * `getExport(path).call(args, options)` would throw before its core call.
   */
  startCall(path: readonly string[], args: readonly Value[], options?: ComponentCallOptions): ComponentCall {
    const f = this.getExport(path);
    const parts = liftPartsOf(f);
    if (parts === undefined) throw new CallSnapshotError(`${path.join(".")} is not a lifted function of this component`);
    const budget = liftBudgetOf(options);
    if (!Array.isArray(args)) throw argumentError("args", "an array of values", args);
    return ComponentCall.start(parts, [...path], this.coreInstances, args, budget);
  }

  /** True once a trap poisoned the instance (it refuses further calls). */
  get poisoned(): boolean {
    return this.tree.poisoned !== null;
  }

  /**
   * The function at `path`: `["f"]` for a top-level function, `["ns:pkg/iface@1.0.0", "f"]` for
   * a function of an exported interface instance. Throws {@link MissingExportError}, or
   * `InvalidArgumentError` when `path` is not a non-empty array of strings.
   */
  getExport(path: readonly string[]): ComponentFunction {
    checkStringPathArgument("path", path);
    let items: RuntimeInstance = this.exports;
    const where = (i: number): string => path.slice(0, i + 1).join(".");
    for (let i = 0; i < path.length; i++) {
      const item = items.get(path[i]);
      if (item === undefined) throw new MissingExportError(`component does not export ${where(i)}`, path);
      if (i === path.length - 1) {
        if (item.sort !== "func") throw new MissingExportError(`${where(i)} export is not a function`, path);
        return item.value as ComponentFunction;
      }
      if (item.sort !== "instance") throw new MissingExportError(`${where(i)} export is not an instance`, path);
      items = item.value as RuntimeInstance;
    }
    throw new MissingExportError(`component does not export ${path.join(".")}`, path);
  }
}

/**
 * Instantiates `component`: fresh core instances (in `options.store`), nested components,
 * aliases and lifted functions. A component that imports anything is refused
 * (`component-import-not-allowed`, naming every import). A wrong argument (not a `Component`,
 * options not an object, a `store` the engine does not accept) is an `InvalidArgumentError`.
 */
export function instantiateComponent(component: Component, options?: InstantiateOptions): ComponentInstance {
  if (!(component instanceof Component)) throw argumentError("component", "a Component (from Component.fromBytes)", component);
  const opts = checkOptionsArgument("options", options);
  const tree: InstanceTree = { poisoned: null };
  const snapshot = opts.snapshot;
  if (snapshot === undefined) {
    const coreInstances: Record<string, unknown>[] = [];
    const exports = instantiatePlan(component.plan, { engine: component.engine, store: opts.store, modules: component.compiled, tree, coreInstances });
    return new ComponentInstance(exports, tree, coreInstances);
  }
  if (!(snapshot instanceof ComponentSnapshot) || snapshot.component !== component) {
    throw argumentError("options.snapshot", "a ComponentSnapshot of this component (from snapshotComponent)", snapshot);
  }
  const coreInstances: Record<string, unknown>[] = [];
  const exports = instantiatePlan(component.plan, { engine: component.engine, store: opts.store, modules: component.compiled, tree, coreInstances, uninitialized: true });
  (component.engine.restore as NonNullable<CoreEngine["restore"]>)(coreInstances, snapshot.state);
  return new ComponentInstance(exports, tree, coreInstances);
}

/**
 * Restores a call captured by `ComponentCall.capture()` (see {@link ComponentInstance.startCall})
 * into a new instance of `component` in `options.store` (a store like the one it was captured
 * in: same cost table and NaN mode, enough memory pages): the core instances are created without
 * initialisation and get the captured state. The call is `out-of-fuel`: top up the store's fuel
 * and `run()` it. `host` is what the capturing host stored with it.
 * @throws CallSnapshotError when the snapshot is damaged, truncated, edited, or of another
 * component, export or module; `InvalidArgumentError` for a wrong argument
 */
export function restoreComponentCall(component: Component, bytes: Uint8Array, options?: { readonly store?: unknown }): { call: ComponentCall; instance: ComponentInstance; host: unknown } {
  if (!(component instanceof Component)) throw argumentError("component", "a Component (from Component.fromBytes)", component);
  const opts = checkOptionsArgument("options", options);
  const snap = readComponentCallSnapshot(bytes);
  const tree: InstanceTree = { poisoned: null };
  const coreInstances: Record<string, unknown>[] = [];
  const exports = instantiatePlan(component.plan, { engine: component.engine, store: opts.store, modules: component.compiled, tree, coreInstances, uninitialized: true });
  const instance = new ComponentInstance(exports, tree, coreInstances);
  let f: ComponentFunction;
  try {
    f = instance.getExport(snap.header.path);
  } catch (e) {
    throw new CallSnapshotError(`the snapshot's function ${snap.header.path.join(".")} is not an export of this component`, { cause: e });
  }
  const parts = liftPartsOf(f);
  if (parts === undefined) throw new CallSnapshotError(`${snap.header.path.join(".")} is not a lifted function of this component`);
  return { call: ComponentCall.restore(parts, snap, coreInstances), instance, host: snap.header.host };
}
