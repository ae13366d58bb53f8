/**
 * The WASI (preview 1) host of the program corpus: a few deterministic stubs, enough for
 * wasi-libc's `printf`/`malloc`/`exit` and Rust's `std` on `wasm32-wasi`. One implementation is
 * used for both engines (Node's WebAssembly and ours), so a difference in what a program prints,
 * in its exit status or in the sequence of WASI calls it makes is a difference of the engines.
 *
 * - `fd_write` on fd 1 and 2 captures the bytes (bounded by `outputLimit`); other fds: `EBADF`.
 * - `proc_exit` throws {@link ProcExit}, which the runner turns into an exit status.
 * - args: one argument, `prog`; no environment; no preopened directories (`fd_prestat_get` answers
 *   `EBADF`, which ends wasi-libc's preopen scan); reads from stdin give end of file.
 * - `clock_time_get` gives a fixed time; `random_get` a fixed pseudo-random sequence.
 * - any other `wasi_snapshot_preview1` function returns `ENOSYS` (52) and is recorded.
 */

/** WASI errno values the stubs return. */
export const ERRNO = { SUCCESS: 0, BADF: 8, NOSYS: 52, SPIPE: 70 } as const;

/** Thrown by the `proc_exit` stub; carries the exit code. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
    this.name = "ProcExit";
  }
}

/** An import as `WebAssembly.Module.imports` (or ours) lists it. */
export interface ImportEntry {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
}

/** What the program did through WASI. */
export interface WasiState {
  /** The instance's exported memory; set after instantiation. */
  memory: { readonly buffer: ArrayBuffer } | undefined;
  readonly stdout: number[];
  readonly stderr: number[];
  /** True when output beyond `outputLimit` was dropped. */
  truncated: boolean;
  /** Every WASI call other than `fd_write` to fd 1/2, as `name(args)` (bounded). */
  readonly calls: string[];
  /** Total WASI calls made. */
  callCount: number;
}

export interface WasiOptions {
  /** Bytes of stdout + stderr kept (default 1 MiB); further output is dropped, the program continues. */
  readonly outputLimit?: number;
}

const MAX_CALL_LOG = 1000;
const FIXED_TIME_NS = 1_700_000_000_000_000_000n;

/** A fresh WASI host: `imports(list)` builds the import object for a module's import list. */
export function createWasi(options: WasiOptions = {}): { state: WasiState; imports(list: readonly ImportEntry[]): Record<string, Record<string, unknown>> } {
  const limit = options.outputLimit ?? 1 << 20;
  const state: WasiState = { memory: undefined, stdout: [], stderr: [], truncated: false, calls: [], callCount: 0 };
  let rand = 0x9e3779b9;
  const view = (): DataView => {
    if (state.memory === undefined) throw new Error("WASI call before the memory was set");
    return new DataView(state.memory.buffer);
  };
  const log = (name: string, args: readonly unknown[]): void => {
    state.callCount++;
    if (state.calls.length < MAX_CALL_LOG) state.calls.push(`${name}(${args.map(String).join(",")})`);
  };
  const argv = ["prog"];
  const argBytes = argv.map((a) => new TextEncoder().encode(a + "\0"));

  const fns: Record<string, (...a: never[]) => number | void> = {
    fd_write(fd: number, iovs: number, iovsLen: number, nwritten: number): number {
      if (fd !== 1 && fd !== 2) {
        log("fd_write", [fd, iovsLen]);
        return ERRNO.BADF;
      }
      state.callCount++;
      const dv = view();
      const sink = fd === 1 ? state.stdout : state.stderr;
      let total = 0;
      for (let i = 0; i < iovsLen >>> 0; i++) {
        const ptr = dv.getUint32(iovs + i * 8, true);
        const len = dv.getUint32(iovs + i * 8 + 4, true);
        const bytes = new Uint8Array(dv.buffer, ptr, len);
        for (const b of bytes) {
          if (state.stdout.length + state.stderr.length >= limit) {
            state.truncated = true;
            break;
          }
          sink.push(b);
        }
        total += len;
      }
      dv.setUint32(nwritten, total, true);
      return ERRNO.SUCCESS;
    },
    proc_exit(code: number): void {
      log("proc_exit", [code]);
      throw new ProcExit(code);
    },
    args_sizes_get(argcPtr: number, bufSizePtr: number): number {
      log("args_sizes_get", []);
      const dv = view();
      dv.setUint32(argcPtr, argv.length, true);
      dv.setUint32(bufSizePtr, argBytes.reduce((n, b) => n + b.length, 0), true);
      return ERRNO.SUCCESS;
    },
    args_get(argvPtr: number, bufPtr: number): number {
      log("args_get", []);
      const dv = view();
      let p = bufPtr;
      argBytes.forEach((b, i) => {
        dv.setUint32(argvPtr + 4 * i, p, true);
        new Uint8Array(dv.buffer, p, b.length).set(b);
        p += b.length;
      });
      return ERRNO.SUCCESS;
    },
    environ_sizes_get(countPtr: number, sizePtr: number): number {
      log("environ_sizes_get", []);
      const dv = view();
      dv.setUint32(countPtr, 0, true);
      dv.setUint32(sizePtr, 0, true);
      return ERRNO.SUCCESS;
    },
    environ_get(): number {
      log("environ_get", []);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_get(fd: number, ptr: number): number {
      log("fd_fdstat_get", [fd]);
      if (fd > 2) return ERRNO.BADF;
      const dv = view();
      dv.setUint8(ptr, 2); // character device
      dv.setUint16(ptr + 2, 0, true);
      dv.setBigUint64(ptr + 8, 0xffffffffn, true);
      dv.setBigUint64(ptr + 16, 0xffffffffn, true);
      return ERRNO.SUCCESS;
    },
    fd_seek(fd: number, offset: bigint, whence: number): number {
      log("fd_seek", [fd, offset, whence]);
      return fd <= 2 ? ERRNO.SPIPE : ERRNO.BADF;
    },
    fd_close(fd: number): number {
      log("fd_close", [fd]);
      return fd <= 2 ? ERRNO.SUCCESS : ERRNO.BADF;
    },
    fd_read(fd: number, _iovs: number, _iovsLen: number, nread: number): number {
      log("fd_read", [fd]);
      if (fd !== 0) return ERRNO.BADF;
      view().setUint32(nread, 0, true);
      return ERRNO.SUCCESS;
    },
    fd_prestat_get(fd: number): number {
      log("fd_prestat_get", [fd]);
      return ERRNO.BADF;
    },
    fd_prestat_dir_name(fd: number): number {
      log("fd_prestat_dir_name", [fd]);
      return ERRNO.BADF;
    },
    clock_time_get(id: number, precision: bigint, ptr: number): number {
      log("clock_time_get", [id, precision]);
      view().setBigUint64(ptr, FIXED_TIME_NS, true);
      return ERRNO.SUCCESS;
    },
    clock_res_get(id: number, ptr: number): number {
      log("clock_res_get", [id]);
      view().setBigUint64(ptr, 1000n, true);
      return ERRNO.SUCCESS;
    },
    random_get(buf: number, len: number): number {
      log("random_get", [len]);
      const bytes = new Uint8Array(view().buffer, buf, len);
      for (let i = 0; i < bytes.length; i++) {
        rand ^= rand << 13;
        rand ^= rand >>> 17;
        rand ^= rand << 5;
        bytes[i] = rand & 0xff;
      }
      return ERRNO.SUCCESS;
    },
    sched_yield(): number {
      log("sched_yield", []);
      return ERRNO.SUCCESS;
    },
  };

  return {
    state,
    imports(list) {
      const obj: Record<string, Record<string, unknown>> = {};
      for (const imp of list) {
        if (imp.module !== "wasi_snapshot_preview1" || imp.kind !== "function") continue;
        const ns = (obj[imp.module] ??= {});
        ns[imp.name] =
          fns[imp.name] ??
          ((...args: unknown[]): number => {
            log(imp.name, args);
            return ERRNO.NOSYS;
          });
      }
      return obj;
    },
  };
}
