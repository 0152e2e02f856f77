/**
 * One fuzz case's world: a piece of memory as memview sees it (an exporter) and as the
 * model sees it (a plain Uint8Array), the views and readers taken of it, and the log of
 * every statement run, printed as a reproduction when a check fails.
 */

import {
  BUFFER,
  BufferError,
  type BufferInfo,
  type BufferReader,
  ByteArray,
  Bytes,
  type MemoryView,
  memoryview,
  RELEASE,
} from '../../src/index.js';
import type { Random } from '../helpers/random.js';
import { wasm } from '../helpers/wasm.js';
import { type ModelLayout, span } from './model.js';

/** The memory under test and its model. */
export interface Memory {
  /** What the exporter is, for the reports. */
  readonly kind: string;
  /** The expected bytes, at the memory's current length. */
  model: Uint8Array;
  /** Bumped when the memory moves (detached, a WebAssembly.Memory grown). */
  gen: number;
  detached: boolean;
  /** The real bytes now (a fresh copy), or undefined once detached. */
  real(): Uint8Array | undefined;
  /** JavaScript for the repro that undoes nothing: how the memory was made. */
  readonly setup: string;
  /** What a fresh export of the source shows, over the model (undefined: refused). */
  rootLayout(): ModelLayout | undefined;
  readonly source: unknown;
  /** Moves the memory away (ArrayBuffer transfer); undefined when this memory cannot. */
  detach?: () => string;
  /** Changes the length (resizable ArrayBuffer, growable SharedArrayBuffer, Memory.grow). */
  resize?: (rng: Random) => string | undefined;
  /** A ByteArray: locked while exports are out. */
  readonly byteArray?: ByteArray;
  /** A user exporter's count of exports not given back. */
  outstanding?: () => number;
  /** True when the exporter lies (its BufferInfo's getters change their answers). */
  readonly lying?: boolean;
}

/** A view the case holds, with the layout the model gives it. */
export interface HeldView {
  readonly name: string;
  readonly view: MemoryView;
  readonly layout: ModelLayout;
  readonly gen: number;
  released: boolean;
  /** The held view this one holds an export of (a reader's views, and views of them). */
  exportOf?: string;
}

/** A reader the case holds. */
export interface HeldReader {
  readonly name: string;
  readonly reader: BufferReader;
  readonly layout: ModelLayout;
  readonly gen: number;
  pos: number;
  released: boolean;
}

/** The world of one case. */
export class World {
  readonly views: HeldView[] = [];
  readonly readers: HeldReader[] = [];
  /** Exporters the case made (wrappers, hostile ones): exports taken and given back. */
  readonly exporters: { name: string; taken: number; given: number }[] = [];
  readonly log: string[] = [];
  #names = 0;

  constructor(readonly mem: Memory) {
    log(this, mem.setup);
  }

  name(prefix: string): string {
    return `${prefix}${this.#names++}`;
  }

  /** Live consumers: a ByteArray under any of them cannot resize. */
  locked(): boolean {
    return this.views.some((v) => !v.released) || this.readers.some((r) => !r.released);
  }

  /** Whether a layout taken at generation `gen` can be read now. */
  accessible(layout: ModelLayout, gen: number): boolean {
    const m = this.mem;
    if (m.detached || gen !== m.gen) return false;
    const s = span(layout);
    return s === undefined || (s[0] >= 0 && s[1] <= m.model.length);
  }

  /** Whether memory access for an empty layout is in doubt (memory gone: [] or an error). */
  doubtful(layout: ModelLayout, gen: number): boolean {
    const m = this.mem;
    return span(layout) === undefined && (m.detached || gen !== m.gen);
  }
}

/** Appends a statement to the case's reproduction. */
export function log(w: World, line: string): void {
  w.log.push(line);
}

// ---------------------------------------------------------------------------------------
// Memories
// ---------------------------------------------------------------------------------------

function detachBuffer(ab: ArrayBuffer): void {
  const transfer = (ab as { transfer?: () => ArrayBuffer }).transfer;
  if (typeof transfer === 'function') transfer.call(ab);
  else structuredClone(ab, { transfer: [ab] });
}

const DETACH = `const detach = (ab) => (ab.transfer ? ab.transfer() : structuredClone(ab, { transfer: [ab] }));`;

function plain(layoutOffset: number, n: number, readonly = false): ModelLayout {
  return { offset: layoutOffset, shape: [n], strides: [1], format: 'B', itemsize: 1, readonly };
}

function bytesLiteral(b: Uint8Array): string {
  return `Uint8Array.of(${[...b].join(', ')})`;
}

/** Every kind of memory the fuzzer draws, by name. */
export const MEMORY_KINDS = [
  'ArrayBuffer',
  'resizable ArrayBuffer',
  'length-tracking Uint8Array',
  'Uint8Array at an offset',
  'DataView',
  'Int16Array',
  'SharedArrayBuffer',
  'growable SharedArrayBuffer',
  'WebAssembly.Memory',
  'Bytes',
  'ByteArray',
  'MemoryView slice',
  'custom exporter',
  'custom exporter returning a view',
  'lying exporter',
] as const;

/** The memory kinds a run draws from (all unless excluded). */
export type MemoryKind = (typeof MEMORY_KINDS)[number];

/** Makes memory of `kind`. */
export function makeMemory(rng: Random, kind: MemoryKind): Memory {
  const n = rng.pick([0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32]);
  const init = rng.bytes(n);
  const lit = bytesLiteral(init);
  switch (kind) {
    case 'ArrayBuffer': {
      const ab = new ArrayBuffer(n);
      new Uint8Array(ab).set(init);
      const m: Memory = {
        kind,
        model: init.slice(),
        gen: 0,
        detached: false,
        real: () => (m.detached ? undefined : new Uint8Array(ab).slice()),
        setup: `${DETACH}\nconst ab = ${lit}.buffer; const source = ab;`,
        rootLayout: () => plain(0, m.model.length),
        source: ab,
        detach: () => {
          detachBuffer(ab);
          m.detached = true;
          m.gen++;
          return 'detach(ab);';
        },
      };
      return m;
    }
    case 'resizable ArrayBuffer':
    case 'length-tracking Uint8Array':
    case 'Uint8Array at an offset': {
      const at = kind === 'Uint8Array at an offset' ? rng.intIn(0, 4) : 0;
      const max = n + at + 16;
      const ab = new ArrayBuffer(n + at, { maxByteLength: max });
      const base = new Uint8Array(ab);
      for (let i = 0; i < at; i++) base[i] = 0xee;
      base.set(init, at);
      const full = new Uint8Array(ab.byteLength);
      full.set(base);
      let source: unknown = ab;
      let make = 'ab';
      if (kind === 'length-tracking Uint8Array') {
        source = new Uint8Array(ab);
        make = 'new Uint8Array(ab)';
      } else if (kind === 'Uint8Array at an offset') {
        source = new Uint8Array(ab, at, n);
        make = `new Uint8Array(ab, ${at}, ${n})`;
      }
      const m: Memory = {
        kind,
        model: full,
        gen: 0,
        detached: false,
        real: () => (m.detached ? undefined : new Uint8Array(ab).slice()),
        setup: `${DETACH}\nconst ab = new ArrayBuffer(${n + at}, { maxByteLength: ${max} }); new Uint8Array(ab).set(${bytesLiteral(full)});\nconst source = ${make};`,
        rootLayout: () => {
          if (kind !== 'Uint8Array at an offset' || m.detached)
            return plain(at, m.detached ? n : m.model.length);
          // A fixed-length TypedArray out of its buffer's bounds, even an empty one, is
          // refused: JavaScript's own methods throw on it, and memview names the shrink.
          if (at + n > m.model.length) return undefined;
          return plain(at, n);
        },
        source,
        detach: () => {
          detachBuffer(ab);
          m.detached = true;
          m.gen++;
          return 'detach(ab);';
        },
        resize: (r) => {
          const to = r.intIn(0, max);
          ab.resize(to);
          const next = new Uint8Array(to);
          next.set(m.model.subarray(0, Math.min(to, m.model.length)));
          m.model = next;
          return `ab.resize(${to});`;
        },
      };
      return m;
    }
    case 'DataView':
    case 'Int16Array': {
      const at = kind === 'Int16Array' ? 2 * rng.intIn(0, 2) : rng.intIn(0, 3);
      const len = kind === 'Int16Array' ? n - (n % 2) : n;
      const ab = new ArrayBuffer(at + len + 2);
      const full = new Uint8Array(ab);
      full.set(init.subarray(0, len), at);
      const source =
        kind === 'DataView' ? new DataView(ab, at, len) : new Int16Array(ab, at, len / 2);
      const make =
        kind === 'DataView'
          ? `new DataView(ab, ${at}, ${len})`
          : `new Int16Array(ab, ${at}, ${len / 2})`;
      const m: Memory = {
        kind,
        model: full.slice(),
        gen: 0,
        detached: false,
        real: () => (m.detached ? undefined : new Uint8Array(ab).slice()),
        setup: `${DETACH}\nconst ab = ${bytesLiteral(full)}.buffer; const source = ${make};`,
        rootLayout: () => {
          return kind === 'DataView'
            ? plain(at, len)
            : {
                offset: at,
                shape: [len / 2],
                strides: [2],
                format: 'h',
                itemsize: 2,
                readonly: false,
              };
        },
        source,
        detach: () => {
          detachBuffer(ab);
          m.detached = true;
          m.gen++;
          return 'detach(ab);';
        },
      };
      return m;
    }
    case 'SharedArrayBuffer':
    case 'growable SharedArrayBuffer': {
      const growable = kind === 'growable SharedArrayBuffer';
      const max = n + 16;
      const sab = growable
        ? new SharedArrayBuffer(n, { maxByteLength: max })
        : new SharedArrayBuffer(n);
      new Uint8Array(sab).set(init);
      const m: Memory = {
        kind,
        model: init.slice(),
        gen: 0,
        detached: false,
        real: () => new Uint8Array(sab).slice(),
        setup: `const sab = new SharedArrayBuffer(${n}${growable ? `, { maxByteLength: ${max} }` : ''}); new Uint8Array(sab).set(${lit}); const source = sab;`,
        rootLayout: () => plain(0, m.model.length),
        source: sab,
      };
      if (growable) {
        m.resize = (r) => {
          const to = r.intIn(m.model.length, max);
          sab.grow(to);
          const next = new Uint8Array(to);
          next.set(m.model);
          m.model = next;
          return `sab.grow(${to});`;
        };
      }
      return m;
    }
    case 'WebAssembly.Memory': {
      const memory = new wasm.Memory({ initial: 1, maximum: 2 });
      new Uint8Array(memory.buffer).set(init);
      const model = new Uint8Array(65536);
      model.set(init);
      const m: Memory = {
        kind,
        model,
        gen: 0,
        detached: false,
        real: () => new Uint8Array(memory.buffer).slice(),
        setup: `const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 }); new Uint8Array(memory.buffer).set(${lit}); const source = memory;`,
        rootLayout: () => plain(0, m.model.length),
        source: memory,
        resize: () => {
          if (memory.buffer.byteLength >= 2 * 65536) return undefined;
          memory.grow(1);
          const next = new Uint8Array(2 * 65536);
          next.set(m.model);
          m.model = next;
          m.gen++;
          return 'memory.grow(1);';
        },
      };
      return m;
    }
    case 'Bytes': {
      const b = new Bytes(init);
      const m: Memory = {
        kind,
        model: init.slice(),
        gen: 0,
        detached: false,
        real: () => b.toUint8Array().slice(),
        setup: `const source = new Bytes(${lit});`,
        rootLayout: () => ({ ...plain(0, n), readonly: true }),
        source: b,
      };
      return m;
    }
    case 'ByteArray': {
      rng.chance(0.5); // was ByteArray's resizable option: recorded seeds still replay
      const ba = new ByteArray(init);
      const m: Memory = {
        kind,
        model: init.slice(),
        gen: 0,
        detached: false,
        real: () => ba.toUint8Array().slice(),
        setup: `const ba = new ByteArray(${lit}); const source = ba;`,
        rootLayout: () => plain(0, m.model.length),
        source: ba,
        byteArray: ba,
      };
      return m;
    }
    case 'MemoryView slice': {
      const ab = new ArrayBuffer(n);
      new Uint8Array(ab).set(init);
      const start = rng.intIn(-n - 1, n + 1);
      const step = rng.pick([1, 2, -1, -2, 3]);
      const view = memoryview(new Uint8Array(ab)).slice(start, null, step);
      const first = view.length === 0 ? 0 : view.byteOffset;
      const m: Memory = {
        kind,
        model: init.slice(),
        gen: 0,
        detached: false,
        real: () => (m.detached ? undefined : new Uint8Array(ab).slice()),
        setup: `${DETACH}\nconst ab = ${lit}.buffer; const source = memoryview(new Uint8Array(ab)).slice(${start}, null, ${step});`,
        rootLayout: () => ({
          offset: first,
          shape: [view.length],
          strides: [step],
          format: 'B',
          itemsize: 1,
          readonly: false,
        }),
        source: view,
        detach: () => {
          detachBuffer(ab);
          m.detached = true;
          m.gen++;
          return 'detach(ab);';
        },
      };
      return m;
    }
    case 'custom exporter':
    case 'custom exporter returning a view':
    case 'lying exporter': {
      const ab = new ArrayBuffer(Math.max(n, 1));
      new Uint8Array(ab).set(init);
      // A 2-D layout over the bytes, with strides of either sign (an honest one).
      const rows = n === 0 ? 0 : rng.intIn(1, Math.min(n, 3));
      const cols = rows === 0 ? 0 : rng.intIn(0, Math.floor(n / rows));
      const rowStride = rng.chance(0.5) ? cols : -cols;
      const colStride = rng.chance(0.7) ? 1 : -1;
      const lo = Math.min(0, (rows - 1) * rowStride) + Math.min(0, (cols - 1) * colStride);
      const offset = cols === 0 || rows === 0 ? 0 : -lo;
      const layout: ModelLayout = {
        offset,
        shape: [rows, cols],
        strides: [rowStride, colStride],
        format: 'B',
        itemsize: 1,
        readonly: false,
      };
      let taken = 0;
      let given = 0;
      let exporter: object;
      let setup: string;
      const infoText = `{ obj: null, buffer: ab, offset: ${offset}, len: ${rows * cols}, readonly: false, format: 'B', itemsize: 1, ndim: 2, shape: [${rows}, ${cols}], strides: [${rowStride}, ${colStride}], suboffsets: [] }`;
      if (kind === 'custom exporter') {
        exporter = {
          [BUFFER]: (): BufferInfo => {
            taken++;
            return {
              obj: exporter,
              buffer: ab,
              offset,
              len: rows * cols,
              readonly: false,
              format: 'B',
              itemsize: 1,
              ndim: 2,
              shape: [rows, cols],
              strides: [rowStride, colStride],
              suboffsets: [],
            };
          },
          [RELEASE]: () => {
            given++;
          },
        };
        setup = `const ab = ${lit}.buffer;\nconst source = { [BUFFER]: () => (${infoText}), [RELEASE]() {} };`;
      } else if (kind === 'custom exporter returning a view') {
        exporter = {
          [BUFFER]: () => {
            // User code that checks its own memory, as a careful exporter does.
            if (m.detached) throw new BufferError("the exporter's memory was detached");
            taken++;
            return memoryview(new Uint8Array(ab, 0, n));
          },
          [RELEASE]: (v: MemoryView) => {
            given++;
            v.release();
          },
        };
        setup = `const ab = ${lit}.buffer;\nconst source = { [BUFFER]: () => memoryview(new Uint8Array(ab, 0, ${n})), [RELEASE](v) { v.release(); } };`;
      } else {
        // Every field answers honestly once, then lies: a snapshot taken once is safe.
        const tiny = new ArrayBuffer(1);
        exporter = {
          [BUFFER]: () => {
            taken++;
            const info = {};
            const fields: Record<string, [unknown, unknown]> = {
              obj: [exporter, exporter],
              buffer: [ab, tiny],
              offset: [offset, offset + 1000],
              len: [rows * cols, rows * cols + 7],
              readonly: [false, false],
              format: ['B', 'd'],
              itemsize: [1, 8],
              ndim: [2, 2],
              shape: [
                [rows, cols],
                [rows + 50, cols + 50],
              ],
              strides: [
                [rowStride, colStride],
                [rowStride * 9, 100],
              ],
              suboffsets: [[], []],
            };
            for (const [k, [honest, lie]] of Object.entries(fields)) {
              let reads = 0;
              Object.defineProperty(info, k, {
                enumerable: true,
                get: () => (reads++ === 0 ? honest : lie),
              });
            }
            return info as BufferInfo;
          },
          [RELEASE]: () => {
            given++;
          },
        };
        setup = `const ab = ${lit}.buffer; const tiny = new ArrayBuffer(1);\n// every BufferInfo field answers ${infoText} once, then buffer: tiny, offset: +1000, format: 'd', itemsize: 8, shape +50, strides changed\nconst source = { [BUFFER]: () => lyingInfo(), [RELEASE]() {} };`;
      }
      const viewExporter = kind === 'custom exporter returning a view';
      const m: Memory = {
        kind,
        model: new Uint8Array(ab).slice(),
        gen: 0,
        detached: false,
        real: () => (m.detached ? undefined : new Uint8Array(ab).slice()),
        setup,
        rootLayout: () => (viewExporter ? plain(0, n) : layout),
        source: exporter,
        detach: () => {
          detachBuffer(ab);
          m.detached = true;
          m.gen++;
          return 'detach(ab);';
        },
        outstanding: () => taken - given,
        lying: kind === 'lying exporter',
      };
      return m;
    }
  }
}

/** Makes a BufferReader entry over `source` (used by the operations). */
export function heldReader(
  w: World,
  reader: BufferReader,
  layout: ModelLayout,
  name: string,
): HeldReader {
  const r: HeldReader = { name, reader, layout, gen: w.mem.gen, pos: 0, released: false };
  w.readers.push(r);
  return r;
}
