/**
 * A world's one exported function, found, type-checked and called through the generic Canonical
 * ABI: the part of a world binding that is the same for every Pureflow world. A world names its
 * interface export, the function, its WIT type and the three lookup messages Pureflow's adapter
 * uses (`component does not export {interface}`, `component does not export {label}`,
 * `{label} export is not a function`); everything else (arguments and results) is the generic
 * host values of `canonical-abi/types.ts`.
 */
import {
  checkFuncType, instantiateComponent, MissingExportError,
  type Component, type ComponentSnapshot, type FuncType, type Value,
} from "../../canonical-abi/index.js";
import type { Store } from "../../interpreter/index.js";

/** Where a world's function is and what type it must have. */
export interface WorldExport {
  /** The interface instance export, e.g. `pureflow:rules/rules@0.1.0`. */
  readonly interfaceName: string;
  /** The function inside it, e.g. `evaluate`. */
  readonly funcName: string;
  /** The function's WIT type (checked against the component's). */
  readonly funcType: FuncType;
  /** How Pureflow's messages name the function, e.g. `rules.evaluate`. */
  readonly label: string;
}

/**
 * Checks that `component` exports `w` with its type.
 * @throws MissingExportError (Pureflow's three messages), ExportTypeMismatchError (the first difference)
 */
export function checkWorldExport(component: Component, w: WorldExport): void {
  const iface = component.exports.get(w.interfaceName);
  if (iface === undefined || iface.kind !== "instance") {
    throw new MissingExportError(`component does not export ${w.interfaceName}`, [w.interfaceName]);
  }
  const f = iface.type.exports.get(w.funcName);
  if (f === undefined) throw new MissingExportError(`component does not export ${w.label}`, [w.interfaceName, w.funcName]);
  if (f.kind !== "func") throw new MissingExportError(`${w.label} export is not a function`, [w.interfaceName, w.funcName]);
  checkFuncType(w.label, w.funcType, f.type, w.funcName);
}

/** Options of {@link callWorldExport}. */
export interface WorldCallOptions {
  /** The most bytes lifting the result may copy out of guest memory (default: no limit). */
  maxLiftedBytes?: number;
  /** Start the instance from this snapshot instead of instantiating afresh. */
  snapshot?: ComponentSnapshot | undefined;
}

/** Instantiates `component` afresh in `store`, calls `w` with `args` (generic values), returns the lifted result. */
export function callWorldExport(component: Component, w: WorldExport, args: readonly Value[], store: Store, options: WorldCallOptions = {}): Value | undefined {
  const instance = instantiateComponent(component, options.snapshot === undefined ? { store } : { store, snapshot: options.snapshot });
  return instance.getExport([w.interfaceName, w.funcName]).call(args, { maxLiftedBytes: options.maxLiftedBytes });
}
