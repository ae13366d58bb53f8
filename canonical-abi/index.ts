/**
 * Public door of the component layer (`pureflow-wasm/canonical-abi`): decode and validate a
 * component (`Component.fromBytes`), instantiate it in an interpreter `Store`
 * (`instantiateComponent`), call its exported functions with host values
 * (`ComponentInstance.getExport(path).call(args, { maxLiftedBytes })`, the optional lift budget
 * bounding what lifting the result may copy out: `abi/lift-budget.ts`), render its exports as
 * WIT, check an export's type against an expected WIT type, and the `ComponentError` hierarchy.
 * Every function, constructor and method here checks its arguments first: a wrong one is an
 * `InvalidArgumentError` (`invalid-argument`) naming it, never a raw `TypeError`/`RangeError`.
 *
 * Host value representation: see `types.ts` (bool boolean; integers and floats number, 64-bit
 * integers bigint; char a one-code-point string; string string; `list<u8>` Uint8Array, other
 * lists arrays; records objects keyed by WIT field names; tuples arrays; variants, options and
 * results `{ tag, value? }` (result tags `ok`/`err`); enums strings; flags objects of booleans).
 */
import { registerDefaultCoreEngine } from "./component.js";
import { interpreterEngine } from "./link/interpreter-engine.js";

registerDefaultCoreEngine(interpreterEngine);

export { interpreterEngine };
export {
  Component, ComponentInstance, ComponentSnapshot, instantiateComponent, snapshotComponent, registerDefaultCoreEngine,
  type ComponentOptions, type CoreModuleSummary, type InstantiateOptions,
} from "./component.js";
export type { ComponentFunction, ComponentCallOptions, ComponentCallAsyncOptions } from "./link/lifted-function.js";
export { restoreComponentCall } from "./component.js";
export {
  ComponentCall, readComponentCallSnapshot, inspectComponentCallSnapshot, COMPONENT_CALL_SNAPSHOT_VERSION,
  type ComponentCallState, type ComponentCallSnapshotHeader, type ReadComponentCallSnapshot,
} from "./link/lifted-call.js";
export { LiftBudget, list_lift_cost, type LiftBudgetItem } from "./abi/lift-budget.js";
export type { CoreEngine, CoreCallAsyncOptions } from "./link/engine.js";
export type { ExternType, InstanceTypeS as InstanceType, ComponentTypeS as ComponentType, TypeEntry } from "./link/static-types.js";
export {
  ComponentError, MalformedComponentError, UnsupportedComponentFeatureError, NotAComponentError,
  ComponentImportNotAllowedError, ComponentLinkError, MissingExportError, ExportTypeMismatchError,
  InvalidHostValueError, InvalidArgumentError, CanonicalAbiTrap, GuestTrap, LiftBudgetExceededError, CallSnapshotError, type CanonicalAbiRule,
} from "./errors.js";
export { describeValue } from "./arguments.js";
export { MAX_DESCRIPTOR_DEPTH } from "./type-descriptor-check.js";
export type {
  ValType, FuncType, Value, VariantValue, PrimitiveKind, CoreFuncType, CoreValType,
  PrimitiveType, RecordType, VariantType, ListType, TupleType, FlagsType, EnumType, OptionType, ResultType, Field, Case, Param,
} from "./types.js";
export type { TypeDifference } from "./type-check.js";
// the type helpers with their argument checks (`checked-api.ts`)
export {
  T, primitive, withName,
  checkFuncType, firstFuncTypeDifference, firstValTypeDifference, funcTypesEqual, valTypesEqual,
  renderExternsAsWit, witFunc, witType,
} from "./checked-api.js";
// teaching tools: WIT type text in, Canonical ABI layouts out (`pureflow-wasm abi explain`)
export { parseWitType, parseWitTypeOrFunc, WitSyntaxError } from "./wit-parse.js";
export { explainType, explainFunc, renderTypeLayout, renderFuncLayout, byteRuler } from "./abi/explain.js";
export type { TypeLayout, FuncLayout, FieldLayout, CaseLayout } from "./abi/explain.js";
// the Canonical ABI call trace (`ComponentCallOptions.trace`, `pureflow-wasm run --trace-abi`)
export { AbiTrace, MAX_EVENT_BYTES } from "./abi/trace.js";
export type {
  AbiTraceEvent, AbiTraceJson, AbiTraceOptions, AbiPhase, CallBeginEvent, ReallocEvent, ValueEvent, RangeEvent, FlatArgsEvent,
  CoreCallEvent, ReturnPointerEvent, PostReturnEvent, TrapEvent, CallEndEvent,
} from "./abi/trace.js";
export { renderAbiTrace, memoryMap, hexDump, eventLine, type TouchedByte } from "./abi/trace-render.js";
