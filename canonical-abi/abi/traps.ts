/**
 * `trap`: the single place where the Canonical ABI's dynamic checks raise their error. Callers
 * write the spec's `trap_if(cond)` as `if (cond) trap("T8", "...")` at exactly the point where
 * `definitions.py` puts it, so every check can be audited line by line and found by its rule id.
 */
import { CanonicalAbiTrap, type CanonicalAbiRule } from "../errors.js";

/** Raises the Canonical ABI trap `rule` with a message naming the values involved. */
export function trap(rule: CanonicalAbiRule, message: string): never {
  throw new CanonicalAbiTrap(rule, message);
}

/** `0x...` rendering of a pointer or length for trap messages. */
export function hex(n: number): string {
  return "0x" + n.toString(16);
}
