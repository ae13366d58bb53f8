/**
 * Node capabilities and the WASM capability rule, as Pureflow's `NodeCapabilities` and
 * `validate_wasm_capabilities`. A WASM guest of the batch world links no imports, so it can
 * enforce no effect: any declared effect is refused (`CDT-VAL-002 ... not enforceable by its
 * execution boundary`). Building a descriptor refuses duplicate effects, duplicate port claims
 * and a port claimed for both receive and emit. A descriptor of the wrong shape (not an object,
 * a node that is not a string, port or effect lists that are not arrays of strings) is refused
 * with `CDT-VAL-002` naming the field (`invalid argument \`init.receive[0]\`: ...`).
 */
import { PureflowError } from "../errors.js";
import { validateIdentifier } from "../batch/ids.js";
import { checkObjectArgument, checkStringArgument, checkStringListArgument } from "../arguments.js";

/** Effect capabilities, by their `as_str` names. */
export type EffectCapability =
  | "filesystem_read"
  | "filesystem_write"
  | "network_outbound"
  | "external_effect"
  | "process_spawn"
  | "environment_read"
  | "environment_write"
  | "clock";

/** Each effect's Rust `Debug` name, used in messages. */
export const EFFECT_DEBUG_NAMES: Readonly<Record<EffectCapability, string>> = {
  filesystem_read: "FileSystemRead",
  filesystem_write: "FileSystemWrite",
  network_outbound: "NetworkOutbound",
  external_effect: "ExternalEffect",
  process_spawn: "ProcessSpawn",
  environment_read: "EnvironmentRead",
  environment_write: "EnvironmentWrite",
  clock: "Clock",
};

/** What a node declares: its id, the ports it receives on and emits to, and its effects. */
export interface NodeCapabilitiesInit {
  node: string;
  receive?: readonly string[];
  emit?: readonly string[];
  effects?: readonly EffectCapability[];
}

/** A validated capability descriptor (Pureflow's `NodeCapabilities`). */
export class NodeCapabilities {
  readonly node: string;
  readonly receive: readonly string[];
  readonly emit: readonly string[];
  readonly effects: readonly EffectCapability[];

  private constructor(node: string, receive: string[], emit: string[], effects: EffectCapability[]) {
    this.node = node;
    this.receive = receive;
    this.emit = emit;
    this.effects = effects;
  }

  /**
   * Validates and builds a descriptor.
   * @throws PureflowError `CDT-VAL-001` for an invalid node or port id, `CDT-VAL-002` for
   * duplicate effects, duplicate port claims or a port claimed in both directions, and for a
   * descriptor of the wrong shape.
   */
  static create(init: NodeCapabilitiesInit): NodeCapabilities {
    return NodeCapabilities.fromInit("init", init);
  }

  /** {@link create}, naming the descriptor `argument` in shape errors. @internal */
  static fromInit(argument: string, init: unknown): NodeCapabilities {
    const o = checkObjectArgument(argument, init, "a capability descriptor { node, receive?, emit?, effects? }", "CDT-VAL-002");
    const node = validateIdentifier("node id", checkStringArgument(`${argument}.node`, o.node, "CDT-VAL-002"));
    const receive = checkStringListArgument(`${argument}.receive`, o.receive, "CDT-VAL-002");
    const emit = checkStringListArgument(`${argument}.emit`, o.emit, "CDT-VAL-002");
    const effects = checkStringListArgument(`${argument}.effects`, o.effects, "CDT-VAL-002") as EffectCapability[];
    for (const [dir, ports] of [["receive", receive], ["emit", emit]] as const) {
      const seen = new Set<string>();
      for (const p of ports) {
        validateIdentifier("port id", p);
        if (seen.has(p)) throw PureflowError.invalidCapabilities(`node \`${node}\` declares duplicate ${dir} capability for port \`${p}\``);
        seen.add(p);
      }
    }
    const emitted = new Set(emit);
    for (const p of receive) {
      if (emitted.has(p)) throw PureflowError.invalidCapabilities(`node \`${node}\` declares port \`${p}\` for both receive and emit`);
    }
    const seenEffects = new Set<EffectCapability>();
    for (const e of effects) {
      if (!Object.prototype.hasOwnProperty.call(EFFECT_DEBUG_NAMES, e)) throw PureflowError.invalidCapabilities(`node \`${node}\` declares unknown effect capability \`${String(e)}\``);
      if (seenEffects.has(e)) throw PureflowError.invalidCapabilities(`node \`${node}\` declares duplicate effect capability \`${EFFECT_DEBUG_NAMES[e]}\``);
      seenEffects.add(e);
    }
    return new NodeCapabilities(node, receive, emit, effects);
  }
}

/**
 * Refuses a descriptor that declares any effect: a WASM guest of the batch world links no
 * imports, so its execution boundary cannot enforce one. The first effect is named. A value
 * that is not a {@link NodeCapabilities} (e.g. a plain object of the same shape) is first
 * validated as {@link NodeCapabilities.create} does.
 * @throws PureflowError `CDT-VAL-002` (`CDT-VAL-001` for an invalid id).
 */
export function validateWasmCapabilities(capabilities: NodeCapabilities): void {
  validateWasmCapabilitiesArgument("capabilities", capabilities);
}

/** {@link validateWasmCapabilities}, naming the descriptor `argument` in shape errors (e.g. `options.capabilities`). */
export function validateWasmCapabilitiesArgument(argument: string, capabilities: unknown): void {
  const caps = capabilities instanceof NodeCapabilities ? capabilities : NodeCapabilities.fromInit(argument, capabilities);
  const first = caps.effects[0];
  if (first !== undefined) {
    throw PureflowError.invalidCapabilities(
      `node \`${caps.node}\` declares effect capability \`${EFFECT_DEBUG_NAMES[first]}\` that is not enforceable by its execution boundary`,
    );
  }
}
