/**
 * Function instances (spec "Function Instances"): a wasm function of some module instance, or a
 * host function (a plain JS function with the import's type). `sigId` interns the function type
 * structurally so `call_indirect` compares types across modules with one integer comparison.
 */
import { funcTypeId } from "../decode/matching.js";
import type { FuncType } from "../decode/module.js";
import type { InstanceRuntime } from "./instance.js";

/**
 * Structural id of a function type (equivalent types, equal ids, across modules): its canonical
 * type id (`decode/matching.ts`).
 */
export function sigIdOf(t: FuncType): number {
  return funcTypeId(t);
}

/** A JS function called as a wasm import. */
export type HostFunction = (...args: unknown[]) => unknown;

export class FuncInst {
  readonly type: FuncType;
  readonly sigId: number;
  /** The owning instance (wasm functions), else undefined. */
  readonly instance: InstanceRuntime | undefined;
  /** Index among the module's defined functions (wasm functions), else -1. */
  readonly defIndex: number;
  readonly host: HostFunction | undefined;
  /** The JS function that stands for this function instance outside (created on demand, cached). */
  jsFunc: ((...args: unknown[]) => unknown) | undefined = undefined;

  constructor(type: FuncType, instance: InstanceRuntime | undefined, defIndex: number, host: HostFunction | undefined) {
    this.type = type;
    this.sigId = sigIdOf(type);
    this.instance = instance;
    this.defIndex = defIndex;
    this.host = host;
  }
}
