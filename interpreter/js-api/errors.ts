/**
 * `WebAssembly.CompileError`, `LinkError`, `RuntimeError` as the JS API defines them: NativeError
 * constructors (`(message, options)`, callable with or without `new`, `length` 1, [[Prototype]]
 * `Error`). Each shares its `prototype` with the interpreter's own class of the same name
 * (`../errors.ts`, which takes a stable `code` first), so an error the interpreter throws has
 * `constructor === WebAssembly.CompileError` and `instanceof` holds for both constructors.
 */
import { CompileError as CompileErrorClass, LinkError as LinkErrorClass, RuntimeError as RuntimeErrorClass } from "../errors.js";

/** The JS API's constructor type for the three error interfaces. */
export interface WasmErrorConstructor {
  new (message?: string, options?: { cause?: unknown }): Error;
  (message?: string, options?: { cause?: unknown }): Error;
  readonly prototype: Error;
}

function nativeError(name: string, proto: object): WasmErrorConstructor {
  const ctor = function (this: unknown, ...args: unknown[]): Error {
    return Reflect.construct(Error, args.slice(0, 2), new.target ?? ctor) as Error;
  };
  Object.defineProperty(ctor, "length", { value: 1 });
  Object.defineProperty(ctor, "name", { value: name });
  Object.defineProperty(ctor, "prototype", { value: proto, writable: false, enumerable: false, configurable: false });
  Object.defineProperty(proto, "constructor", { value: ctor, writable: true, enumerable: false, configurable: true });
  Object.setPrototypeOf(ctor, Error);
  return ctor as unknown as WasmErrorConstructor;
}

export const CompileError = nativeError("CompileError", CompileErrorClass.prototype);
export const LinkError = nativeError("LinkError", LinkErrorClass.prototype);
export const RuntimeError = nativeError("RuntimeError", RuntimeErrorClass.prototype);
