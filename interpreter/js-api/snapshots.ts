/**
 * Snapshots of instance groups at the JS-API level (see `../instantiate/snapshot.ts`): capture
 * the state right after instantiation, restore it into instances created with
 * `{ initialize: false }`.
 */
import { describeValue, InvalidArgumentTypeError } from "../errors.js";
import { captureGroup, GroupSnapshot, restoreGroup } from "../instantiate/snapshot.js";
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
