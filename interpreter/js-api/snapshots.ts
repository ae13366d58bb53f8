/**
 * Snapshots of instance groups at the JS-API level (see `../instantiate/snapshot.ts`): capture
 * the state right after instantiation, restore it into instances created with
 * `{ initialize: false }`; and execution snapshots of calls stopped out of fuel (issue 16).
 */
import { describeValue, InvalidArgumentTypeError } from "../errors.js";
import { captureGroup, GroupSnapshot, restoreGroup, SnapshotError } from "../instantiate/snapshot.js";
import { captureCall, restoreCall } from "../execute/call-snapshot.js";
import { Resumable } from "../execute/invoke.js";
import type { ResumableCall } from "./calls.js";
import { funcOf, readJsResults } from "./functions.js";
import { inspectCall, type CallSnapshotInspection } from "../execute/call-snapshot-inspect.js";
import { Module, moduleInfo } from "./module.js";
import type { InstanceRuntime } from "../runtime/instance.js";
import type { Instance } from "./instance.js";
import { instanceRuntimeOf } from "./instance.js";

function runtimesOf(argument: string, instances: readonly Instance[]): InstanceRuntime[] {
  if (!Array.isArray(instances)) throw new InvalidArgumentTypeError(argument, `must be an array of Instances, got ${describeValue(instances)}`);
  return instances.map((x, i) => {
    const r = instanceRuntimeOf(x);
    if (r === undefined) throw new InvalidArgumentTypeError(`${argument}[${i}]`, `must be an Instance, got ${describeValue(x)}`);
    return r;
  });
}

/**
 * Captures the state of a group of instances right after their instantiation (memories,
 * globals, tables, dropped segments), to start later groups from (see {@link restoreInstances}).
 * Function references are kept by their place in the group. @throws SnapshotError when a
 * reference points outside the group, an externref is not null, or an instance is poisoned.
 */
export function snapshotInstances(instances: readonly Instance[]): GroupSnapshot {
  return captureGroup(runtimesOf("instances", instances));
}

/**
 * Gives `instances` — new instances of the same modules in the same order, linked the same way,
 * created with `initialize: false` — the state captured in `snapshot`: the group is then
 * indistinguishable from the captured one as it was (fuel already spent by start functions is
 * not charged again: the caller accounts for it). @throws SnapshotError on a mismatch.
 */
export function restoreInstances(instances: readonly Instance[], snapshot: GroupSnapshot): void {
  if (!(snapshot instanceof GroupSnapshot)) throw new InvalidArgumentTypeError("snapshot", `must be an InstanceSnapshot, got ${describeValue(snapshot)}`);
  restoreGroup(runtimesOf("instances", instances), snapshot);
}

/**
 * Captures a resumable call stopped out of fuel (see `callResumable`) with the whole state of
 * the instances it runs in (`instances`, every instance its frames run in; `moduleBytes[k]` the
 * bytes instance k was compiled from) as a versioned byte string (`../execute/call-snapshot.ts`).
 * @throws SnapshotError when the call is not stopped or cannot be captured
 */
export function captureCallSnapshot(call: ResumableCall, instances: readonly Instance[], moduleBytes: readonly Uint8Array[]): Uint8Array {
  if (!(call instanceof Resumable)) throw new InvalidArgumentTypeError("call", `must be a ResumableCall, got ${describeValue(call)}`);
  return captureCall(call, runtimesOf("instances", instances), checkBytesList(moduleBytes));
}

/**
 * Restores a call captured by {@link captureCallSnapshot} into `instances`: new instances of the
 * same modules in the same order, linked the same way, created with `{ initialize: false }` in a
 * store with the same cost table and NaN mode. The returned call is out of fuel: `store.setFuel`,
 * then `resume()`. `fn`, when given, must be the exported function the captured call entered.
 * @throws SnapshotError when the snapshot is damaged, of other modules, or does not fit
 */
export function restoreCallSnapshot(bytes: Uint8Array, instances: readonly Instance[], moduleBytes: readonly Uint8Array[], fn?: (...args: never[]) => unknown): ResumableCall {
  const call = restoreCall(bytes, runtimesOf("instances", instances), checkBytesList(moduleBytes), readJsResults);
  if (fn !== undefined && call._entered !== funcOf("fn", fn)) throw new SnapshotError("the snapshot's call entered another function than the one given");
  return call;
}

function checkBytesList(list: readonly Uint8Array[]): Uint8Array[] {
  if (!Array.isArray(list) || list.some((b) => !(b instanceof Uint8Array))) throw new InvalidArgumentTypeError("moduleBytes", `must be an array of Uint8Arrays, got ${describeValue(list)}`);
  return list;
}

/**
 * Reads an execution snapshot (see {@link captureCallSnapshot}) without running anything: the
 * call stack with function indices, names and positions, locals and other value slots per frame,
 * globals, and memory ranges (`../execute/call-snapshot-inspect.ts`). The modules are found among
 * `moduleBytes` by sha256. @throws SnapshotError when the snapshot is damaged or a module is missing
 */
export function inspectCallSnapshot(bytes: Uint8Array, moduleBytes: readonly Uint8Array[]): CallSnapshotInspection {
  return inspectCall(bytes, checkBytesList(moduleBytes), (b) => moduleInfo("module", new Module(b as Uint8Array<ArrayBuffer>)));
}
