// Types for the parts of vcd-stream 1.5.0 (no bundled types) used by tb/vcd/reader.ts: the emscripten wasm
// module factory and the wrapper that turns it into a Writable stream parser.

declare module 'vcd-stream/out/vcd.js' {
  /** The emscripten module instance (only what the reader touches). */
  export interface VcdWasmModule {
    cwrap(ident: string, returnType: string | null, argTypes: string[], opts?: unknown): (...args: unknown[]) => unknown;
    HEAPU8: Uint8Array;
  }
  /** Instantiates a fresh wasm module (reads out/vcd.wasm next to vcd.js). */
  const createVCD: (moduleArg?: Record<string, unknown>) => Promise<VcdWasmModule>;
  export default createVCD;
}

declare module 'vcd-stream/lib/web-vcd-parser.js' {
  import type { Writable } from 'node:stream';
  import type { VcdWasmModule } from 'vcd-stream/out/vcd.js';

  export interface VcdInfoVar {
    kind: 'var';
    type: string; // 'wire', 'reg', ...
    size: number;
    /** The VCD identifier code. */
    link: string;
    /** Name; tokens after the id joined without spaces, `[size-1:0]` stripped only when the name is `\w+`. */
    name: string;
  }
  export interface VcdInfoScope {
    kind: 'scope';
    type: string; // 'module', ...; '.' for the root
    name: string;
    body: Array<VcdInfoScope | VcdInfoVar>;
  }
  export interface VcdInfo {
    /** 'declaration' until `$enddefinitions`, then 'simulation'. */
    status?: string;
    timescale?: string;
    date?: string;
    version?: string;
    comment?: string;
    /** First timestamp seen. */
    t0?: number;
    wires: VcdInfoScope;
    stack: VcdInfoScope[];
  }
  /**
   * Change callback. cmd 14..19 are scalar values '0','1','x','X','z','Z' (no value/mask given);
   * cmd 30/31 are 'b'/'B' vectors with value and mask as BigInt (mask bit = x or z; z has value bit 1).
   * Time is an int64 that saturates at 2^32-1 (strtoul on wasm32).
   */
  export type VcdChangeFn = (id: string, time: bigint, cmd: number, value?: bigint, mask?: bigint) => void;

  export interface VcdStreamParser extends Writable {
    info: VcdInfo;
    change: {
      /** Per-id listener (builds a trigger string). */
      on(id: string, fn: (time: bigint, cmd: number, value?: bigint, mask?: bigint) => void): void;
      /** One listener for every change. */
      any(fn: VcdChangeFn): void;
    };
    /** Current time (int64 as BigInt; INT64_MAX before the first `#t`). */
    getTime(): bigint;
  }

  const webVcdParser: (mod: VcdWasmModule) => Promise<VcdStreamParser>;
  export default webVcdParser;
}
