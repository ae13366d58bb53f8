/**
 * The lift budget: a host limit (not a Canonical ABI rule) on how much one lift may
 * materialise, checked *before* each copy so a hostile result (many packets pointing at the
 * same large payload, a list claiming 2^28 small elements) is refused after copying at most
 * `limit` bytes, instead of after the whole result has been built.
 *
 * Cost model (what `charge` is called with, by the two places that copy out of guest memory):
 * - a string costs its byte length in guest memory (`load_string_from_range`);
 * - a list costs `length × max(elem_size, 1)` (`load_list_from_range`): the bytes of its
 *   element storage, and at least one per element. A `list<u8>` thus costs its bytes; a list of
 *   records costs the records' storage, whose strings and lists are charged again on their own.
 *
 * A budget is checked after the spec's own traps for the same value (T2–T4, T6–T8), so a
 * malformed result still reports the spec's rule.
 */
import { argumentError, checkCountArgument } from "../arguments.js";
import { LiftBudgetExceededError } from "../errors.js";

/** What is being lifted when a charge is made (for the error message). */
export type LiftBudgetItem = "string" | "list";

/** A count of the bytes one lift has materialised, against a limit. */
export class LiftBudget {
  /** The most bytes the lift may materialise (`Infinity` for no limit). */
  readonly limit: number;
  /** Bytes charged so far. */
  used = 0;

  /** @throws InvalidArgumentError when `limit` is not a non-negative safe integer or `Infinity`. */
  constructor(limit: number) {
    this.limit = checkCountArgument("limit", limit, 0, Number.MAX_SAFE_INTEGER, true);
  }

  /** A budget that never refuses (the default of a call that names none). */
  static unlimited(): LiftBudget {
    return new LiftBudget(Infinity);
  }

  /**
   * Charges `bytes` for one `item` about to be copied.
   * @throws LiftBudgetExceededError when the total would pass the limit; nothing is charged then.
   */
  charge(bytes: number, item: LiftBudgetItem): void {
    if (typeof bytes !== "number" || !(bytes >= 0)) throw argumentError("bytes", "a non-negative number", bytes);
    if (item !== "string" && item !== "list") throw argumentError("item", "\"string\" or \"list\"", item);
    const total = this.used + bytes;
    if (total > this.limit) throw new LiftBudgetExceededError(this.limit, this.used, bytes, item);
    this.used = total;
  }
}

/** The cost of lifting a list of `length` elements of `elem_size` bytes each. */
export function list_lift_cost(length: number, elem_size: number): number {
  if (typeof length !== "number" || !(length >= 0)) throw argumentError("length", "a non-negative number", length);
  if (typeof elem_size !== "number" || !(elem_size >= 0)) throw argumentError("elem_size", "a non-negative number", elem_size);
  return length * Math.max(elem_size, 1);
}
