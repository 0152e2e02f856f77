/**
 * The operations the fuzzer draws, each run against memview and judged against the model.
 * Every operation belongs to a class (its name in OP_CLASSES); a run can leave classes
 * out, and says which.
 */

import {
  BUFFER,
  BufferReader,
  BufferWriter,
  ByteArray,
  Bytes,
  FrameDecoder,
  iterUnpack,
  MemoryView,
  memoryview,
  pack,
  packInto,
  RELEASE,
  unpack,
  unpackFrom,
} from '../../src/index.js';
import type { Random } from '../helpers/random.js';
import { attempt, type Counts, type Expectation, fail } from './check.js';
import {
  addresses,
  count,
  fAddresses,
  isC,
  type ModelFormat,
  type ModelLayout,
  packModel,
  same,
  show,
  sliceIndices,
  span,
  unpackModel,
} from './model.js';
import {
  HOOKED,
  type Hook,
  hookValue,
  isByteFormat,
  model,
  structFormat,
  truthOf,
  valuesFor,
  viewFormat,
} from './values.js';
import { type HeldReader, type HeldView, heldReader, log, type World } from './world.js';

/** Every operation class, in the order the reports list them. */
export const OP_CLASSES = [
  'view.make',
  'view.derive',
  'view.get',
  'view.set',
  'view.read',
  'view.iterate',
  'view.assign',
  'view.release',
  'view.field',
  'view.typed',
  'view.equals',
  'struct.pack',
  'struct.packInto',
  'struct.unpack',
  'struct.iterUnpack',
  'mutate',
  'bytearray',
  'reader',
  'writer',
  'frames',
  'frames.mutate',
  'reentrant',
] as const;

/** An operation class. */
export type OpClass = (typeof OP_CLASSES)[number];

interface Ctx {
  readonly w: World;
  readonly rng: Random;
  readonly counts: Counts;
  readonly enabled: ReadonlySet<OpClass>;
}

// ---------------------------------------------------------------------------------------
// Helpers over the model
// ---------------------------------------------------------------------------------------

function itemOf(f: ModelFormat, mem: Uint8Array, at: number): unknown {
  const vals = unpackModel(f, mem, at);
  return f.values === 1 ? vals[0] : vals;
}

function bytesAt(mem: Uint8Array, addrs: readonly number[], itemsize: number): Uint8Array {
  const out = new Uint8Array(addrs.length * itemsize);
  addrs.forEach((a, i) => {
    out.set(mem.subarray(a, a + itemsize), i * itemsize);
  });
  return out;
}

function nested(l: ModelLayout, mem: Uint8Array): unknown {
  const f = model(l.format);
  const walk = (dim: number, at: number): unknown => {
    if (dim === l.shape.length) return itemOf(f, mem, at);
    const out: unknown[] = [];
    for (let i = 0; i < l.shape[dim]; i++) out.push(walk(dim + 1, at + i * l.strides[dim]));
    return out;
  };
  return walk(0, l.offset);
}

/** Whether bytes [lo, hi) of the memory are readable now by something taken at `gen`. */
function inMemory(w: World, gen: number, lo: number, hi: number): boolean {
  const m = w.mem;
  return !m.detached && gen === m.gen && lo >= 0 && hi <= m.model.length;
}

function liveViews(w: World): HeldView[] {
  return w.views.filter((v) => !v.released);
}

function pickView(c: Ctx): HeldView | undefined {
  const live = liveViews(c.w);
  if (live.length > 0 && c.rng.chance(0.9)) return c.rng.pick(live);
  return c.w.views.length > 0 ? c.rng.pick(c.w.views) : undefined;
}

function hexOf(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

function checkSame(expected: unknown) {
  return (got: unknown) =>
    same(got, expected) ? undefined : `returned ${show(got)}, the model ${show(expected)}`;
}

/** A view registered with the world. */
function hold(w: World, view: MemoryView, layout: ModelLayout, name: string): HeldView {
  const h: HeldView = { name, view, layout, gen: w.mem.gen, released: false };
  w.views.push(h);
  return h;
}

/** User code run in the middle of a call; `mutates` when it can move or shrink memory. */
interface Act {
  readonly run: () => void;
  readonly text: string;
  readonly mutates: boolean;
}

// ---------------------------------------------------------------------------------------
// Interference: user code that runs in the middle of a call
// ---------------------------------------------------------------------------------------

/**
 * An action for a hook: detach, resize, release another view, re-enter pack. `target` is
 * what the outer call works on (never released by the hook: the outer call holds it).
 */
function interference(
  c: Ctx,
  avoid: HeldView | undefined,
  holds: boolean,
  reenterSet = false,
): Act {
  const { w, rng } = c;
  const m = w.mem;
  const choices: (() => Act)[] = [];
  if (m.detach !== undefined && c.enabled.has('mutate')) {
    choices.push(() => ({
      run: () => {
        if (!m.detached) m.detach!();
      },
      text: 'detach(ab)',
      mutates: true,
    }));
  }
  if (m.resize !== undefined && c.enabled.has('mutate')) {
    const r = rng.next();
    choices.push(() => ({
      run: () => {
        if (m.detached) return;
        const t = m.resize!({
          ...rng,
          next: () => r,
          intIn: (lo, hi) => lo + Math.floor(r * (hi - lo + 1)),
        } as Random);
        if (t !== undefined) log(w, `  // in the hook: ${t}`);
      },
      text: 'resize',
      mutates: true,
    }));
  }
  const others = liveViews(w).filter((v) => v !== avoid);
  if (others.length > 0 && c.enabled.has('view.release')) {
    const v = rng.pick(others);
    choices.push(() => ({
      run: () => {
        try {
          v.view.release();
          v.released = true;
        } catch {}
      },
      text: `${v.name}.release()`,
      mutates: false,
    }));
  }
  if (c.enabled.has('reentrant')) {
    const fmt = 'B?';
    const a = rng.intIn(0, 255);
    choices.push(() => ({
      run: () => {
        // A re-entrant pack must see only its own values.
        try {
          const got = pack(fmt, a, false);
          if (!same(got, Uint8Array.of(a, 0))) {
            fail(
              c.counts,
              'wrong result',
              'reentrant',
              `pack('B?', ${a}, false) inside a hook returned ${show(got)}`,
            );
          }
        } catch (e) {
          fail(
            c.counts,
            'wrong result',
            'reentrant',
            `pack('B?', ${a}, false) inside a hook raised ${String(e)}`,
          );
        }
      },
      text: `pack('B?', ${a}, false)`,
      mutates: false,
    }));
  }
  const writable = liveViews(w).filter(
    // 1-D: `set(0, x)` is then element 0 (another rank refuses one index, as CPython does).
    (v) =>
      !v.layout.readonly &&
      v.layout.format === 'B' &&
      v.layout.shape.length === 1 &&
      count(v.layout) > 0,
  );
  if (reenterSet && writable.length > 0 && c.enabled.has('reentrant')) {
    // A re-entrant set of a 1-D byte view (the outer target's memory included): the
    // outer set converts first and writes afterwards, so its element wins an overlap.
    const v = rng.pick(writable);
    const x = rng.intIn(0, 255);
    choices.push(() => ({
      run: () => {
        if (v.released || !w.accessible(v.layout, v.gen)) return;
        try {
          v.view.set(0, x);
          w.mem.model[v.layout.offset] = x;
        } catch (e) {
          fail(
            c.counts,
            'wrong result',
            'reentrant',
            `${v.name}.set(0, ${x}) inside a hook raised ${String(e)}`,
          );
        }
      },
      text: `${v.name}.set(0, ${x})`,
      mutates: false,
    }));
  }
  const ba = m.byteArray;
  if (ba !== undefined && c.enabled.has('bytearray')) {
    choices.push(() => ({
      run: () => {
        // While the outer call (or a view) holds an export, a resize must be refused.
        const refused = holds || w.locked();
        try {
          ba.append(7);
          if (refused) {
            fail(
              c.counts,
              'wrong result',
              'reentrant',
              'ba.append(7) inside a hook succeeded while an export is held',
            );
          }
          m.model = Uint8Array.from([...m.model, 7]);
        } catch (e) {
          if (!refused) {
            fail(
              c.counts,
              'wrong result',
              'reentrant',
              `ba.append(7) inside a hook raised ${String(e)} with no export held`,
            );
          }
        }
      },
      text: 'ba.append(7)',
      mutates: false,
    }));
  }
  if (choices.length === 0) return { run: () => {}, text: '', mutates: false };
  return rng.pick(choices)();
}

function hookMaker(
  c: Ctx,
  avoid: HeldView | undefined,
  holds: boolean,
  reenterSet = false,
): (() => { value: unknown; hook: Hook }) | undefined {
  if (!c.enabled.has('reentrant') && !c.enabled.has('mutate')) return undefined;
  return () => {
    const act = interference(c, avoid, holds, reenterSet);
    return hookValue(c.rng, act.run, act.text);
  };
}

// ---------------------------------------------------------------------------------------
// Struct targets: a held view or the source itself
// ---------------------------------------------------------------------------------------

interface Target {
  readonly obj: unknown;
  readonly text: string;
  /** The layout a fresh export shows now (undefined: refused). */
  layout(): ModelLayout | undefined;
  readonly gen: () => number;
  readonly view?: HeldView;
  /** For a wrapping exporter: the layout when its [BUFFER] ran (after its user code). */
  readonly snap?: { layout?: ModelLayout };
}

function pickTarget(c: Ctx): Target {
  const v = pickView(c);
  if (v !== undefined && c.rng.chance(0.6)) {
    return {
      obj: v.view,
      text: v.name,
      layout: () => (v.released ? undefined : v.layout),
      gen: () => v.gen,
      view: v,
    };
  }
  const m = c.w.mem;
  const t: Target = {
    obj: m.source,
    text: 'source',
    layout: () => m.rootLayout(),
    gen: () => m.gen,
  };
  return c.rng.chance(0.15) ? wrapped(c, t) : t;
}

/**
 * `t` behind a user exporter whose [BUFFER] first runs an interference (detach, resize,
 * release, re-entrant pack) and then exports a fresh view of `t`; [RELEASE] releases it.
 */
function wrapped(c: Ctx, t: Target): Target {
  const act = interference(c, t.view, false);
  const counter = { name: c.w.name('x'), taken: 0, given: 0 };
  c.w.exporters.push(counter);
  const snap: { layout?: ModelLayout } = {};
  const obj = {
    [BUFFER]: () => {
      counter.taken++;
      act.run();
      snap.layout = t.layout();
      try {
        return memoryview(t.obj as never);
      } catch (e) {
        counter.given++;
        throw e;
      }
    },
    [RELEASE]: (v: MemoryView) => {
      counter.given++;
      v.release();
    },
  };
  log(
    c.w,
    `const ${counter.name} = { [BUFFER]() { ${act.text}; return memoryview(${t.text}); }, [RELEASE](v) { v.release(); } };`,
  );
  return { obj, text: counter.name, layout: t.layout, gen: t.gen, view: t.view, snap };
}

/** The contiguous byte region a struct call sees in `t`, or why it is refused. */
function region(
  w: World,
  t: Target,
  writable: boolean,
): { lo: number; len: number } | 'refused' | 'gone' {
  return regionOf(w, t.layout(), t.gen(), writable);
}

/** `region` for a layout taken when the export was made. */
function regionOf(
  w: World,
  l: ModelLayout | undefined,
  gen: number,
  writable: boolean,
): { lo: number; len: number } | 'refused' | 'gone' {
  if (l === undefined) return 'refused';
  if (!isC(l) || (writable && l.readonly)) return 'refused';
  const len = count(l) * l.itemsize;
  if (len === 0) {
    // An empty export: nothing to read; memory gone may still be reported.
    return w.doubtful(l, gen) ? 'gone' : { lo: l.offset, len: 0 };
  }
  if (!inMemory(w, gen, l.offset, l.offset + len)) return 'gone';
  return { lo: l.offset, len };
}

// ---------------------------------------------------------------------------------------
// The operations
// ---------------------------------------------------------------------------------------

function opMake(c: Ctx): void {
  const { w } = c;
  if (c.rng.chance(0.15)) {
    opHostile(c);
    return;
  }
  const name = w.name('v');
  const m = w.mem;
  attempt(
    w,
    c.counts,
    'view.make',
    `const ${name} = memoryview(source);`,
    () => memoryview(m.source as never),
    (res) => {
      const l = m.rootLayout();
      if (l === undefined) return { ok: false };
      // Memory gone: an export of it may be refused, or made and refused at each access.
      const gone = !w.accessible(l, m.gen);
      return {
        ok: true,
        errorOk: gone || w.doubtful(l, m.gen),
        check: (got) => {
          const v = got as MemoryView;
          if (
            !same([...v.shape], [...l.shape]) ||
            !same([...v.strides], [...l.strides]) ||
            v.format !== l.format
          ) {
            return `made shape ${show([...v.shape])} strides ${show([...v.strides])} format ${v.format}; the model ${show([...l.shape])} ${show([...l.strides])} ${l.format}`;
          }
          return undefined;
        },
        apply: () => {
          hold(w, res as MemoryView, l, name);
        },
      };
    },
  );
}

/**
 * Exporters that must be refused with a named error, each export given back: [BUFFER]
 * returning itself or a partner, an own [BUFFER] on an instance of memview's classes with
 * a bad BufferInfo, a format that disagrees with its itemsize.
 */
function opHostile(c: Ctx): void {
  const { w, rng } = c;
  const counter = { name: w.name('x'), taken: 0, given: 0 };
  w.exporters.push(counter);
  const give = () => {
    counter.given++;
  };
  const badInfo = (obj: unknown) => {
    counter.taken++;
    return {
      obj,
      buffer: new ArrayBuffer(4),
      offset: rng.pick([100, -1, 3]),
      len: 4,
      readonly: false,
      format: 'B',
      itemsize: 1,
      ndim: 1,
      shape: [4],
      strides: [1],
      suboffsets: [],
    };
  };
  const kind = rng.pick(['self', 'pair', 'ByteArray', 'Bytes', 'MemoryView', 'itemsize']);
  let obj: object;
  let text: string;
  if (kind === 'self') {
    const x: Record<symbol, unknown> = {};
    x[BUFFER] = () => {
      counter.taken++;
      return x;
    };
    x[RELEASE] = give;
    obj = x;
    text = `const ${counter.name} = { [BUFFER]() { return ${counter.name}; }, [RELEASE]() {} };`;
  } else if (kind === 'pair') {
    const a: Record<symbol, unknown> = {};
    const b: Record<symbol, unknown> = {};
    a[BUFFER] = () => {
      counter.taken++;
      return b;
    };
    b[BUFFER] = () => {
      counter.taken++;
      return a;
    };
    a[RELEASE] = give;
    b[RELEASE] = give;
    obj = a;
    text = `const a = { [BUFFER]() { return b; } }, b = { [BUFFER]() { return a; } }; const ${counter.name} = a;`;
  } else if (kind === 'itemsize') {
    obj = {
      [BUFFER]: () => ({ ...badInfo(obj), offset: 0, format: 'B', itemsize: 2, len: 8 }),
      [RELEASE]: give,
    };
    text = `const ${counter.name} = { [BUFFER]: () => ({ ...info, format: 'B', itemsize: 2 }) };`;
  } else {
    const own =
      kind === 'ByteArray'
        ? new ByteArray(4)
        : kind === 'Bytes'
          ? new Bytes(4)
          : memoryview(new Uint8Array(4));
    Object.defineProperty(own, BUFFER, { value: () => badInfo(own) });
    Object.defineProperty(own, RELEASE, { value: give });
    obj = own;
    text = `const ${counter.name} = new ${kind === 'MemoryView' ? 'MemoryView(new Uint8Array(4))' : `${kind}(4)`}; ${counter.name}[BUFFER] = () => ({ obj: ${counter.name}, buffer: new ArrayBuffer(4), offset: 100, len: 4, format: 'B', itemsize: 1, ndim: 1, shape: [4], strides: [1], ... });`;
  }
  log(w, text);
  const consumer = rng.pick(['memoryview', 'unpack', 'BufferReader']);
  const line =
    consumer === 'memoryview'
      ? `memoryview(${counter.name});`
      : consumer === 'unpack'
        ? `unpack('B', ${counter.name});`
        : `new BufferReader(${counter.name});`;
  attempt(
    w,
    c.counts,
    'view.make',
    line,
    () => {
      if (consumer === 'memoryview') return memoryview(obj as never);
      if (consumer === 'unpack') return unpack('B', obj as never);
      return new BufferReader(obj as never);
    },
    // memoryview(view) copies a view without asking its [BUFFER] (CPython shares the
    // managed buffer): an own [BUFFER] on a MemoryView is then simply not called.
    () =>
      kind === 'MemoryView' && consumer === 'memoryview'
        ? { ok: true, errorOk: true }
        : { ok: false },
  );
}

function sliceArg(rng: Random, n: number): number | null {
  return rng.chance(0.25) ? null : rng.intIn(-n - 3, n + 3);
}

function opDerive(c: Ctx): void {
  const { w, rng } = c;
  const v = pickView(c);
  if (v === undefined) {
    opMake(c);
    return;
  }
  const l = v.layout;
  const name = w.name('v');
  const kind = rng.pick(['slice', 'slice', 'cast', 'cast', 'sub', 'transpose', 'toReadonly']);
  let call: () => MemoryView;
  let text: string;
  let derived: () => ModelLayout | undefined;
  if (kind === 'slice') {
    const n = l.shape[0] ?? 0;
    const a = sliceArg(rng, n);
    const b = sliceArg(rng, n);
    const s = rng.chance(0.3) ? null : rng.pick([1, 2, 3, -1, -2, -3, 0]);
    call = () => v.view.slice(a, b, s);
    text = `${v.name}.slice(${a}, ${b}, ${s})`;
    derived = () => {
      if (l.shape.length === 0) return undefined;
      const idx = sliceIndices(n, a, b, s);
      if (idx === undefined) return undefined;
      const [start, , step, count] = idx;
      return {
        ...l,
        offset: l.offset + start * l.strides[0],
        shape: [count, ...l.shape.slice(1)],
        strides: [l.strides[0] * step, ...l.strides.slice(1)],
      };
    };
  } else if (kind === 'cast') {
    const fmt = rng.chance(0.5) ? rng.pick(['B', 'b', 'c']) : viewFormat(rng);
    const size = model(fmt).size;
    const total = count(l) * l.itemsize;
    let shape: number[] | undefined;
    const r = rng.next();
    if (r < 0.4) shape = undefined;
    else if (r < 0.6) shape = [Math.floor(total / size)];
    else if (r < 0.9) {
      const k = Math.floor(total / size);
      const a = rng.pick([1, 2, 3, 4].filter((d) => k % d === 0 || rng.chance(0.1)));
      shape = [a, Math.max(0, Math.floor(k / a))];
    } else shape = [];
    call = () => v.view.cast(fmt, shape);
    text = `${v.name}.cast(${JSON.stringify(fmt)}${shape === undefined ? '' : `, ${show(shape)}`})`;
    derived = () => {
      if (!isC(l)) return undefined;
      const zeros = l.shape.includes(0);
      if ((shape !== undefined || l.shape.length !== 1) && zeros) return undefined;
      if (shape !== undefined && shape.length !== 1 && l.shape.length !== 1) return undefined;
      if (!isByteFormat(l.format) && !isByteFormat(fmt)) return undefined;
      if (total % size !== 0) return undefined;
      if (shape === undefined) {
        return { ...l, format: fmt, itemsize: size, shape: [total / size], strides: [size] };
      }
      if (shape.some((d) => d <= 0)) return undefined;
      if (shape.reduce((x, y) => x * y, 1) * size !== total) return undefined;
      const strides: number[] = [];
      let acc = size;
      for (let d = shape.length - 1; d >= 0; d--) {
        strides[d] = acc;
        acc *= shape[d];
      }
      return { ...l, format: fmt, itemsize: size, shape, strides };
    };
  } else if (kind === 'sub') {
    const keys: (number | (number | null)[] | null)[] = [];
    const nk = rng.intIn(0, l.shape.length);
    for (let d = 0; d < nk; d++) {
      const n = l.shape[d];
      const r = rng.next();
      if (r < 0.3) keys.push(rng.intIn(-n - 1, n));
      else if (r < 0.8)
        keys.push([sliceArg(rng, n), sliceArg(rng, n), rng.pick([1, 2, -1, -2, null])]);
      else keys.push(null);
    }
    call = () => v.view.sub(...(keys as never[]));
    text = `${v.name}.sub(${keys.map(show).join(', ')})`;
    derived = () => {
      let offset = l.offset;
      const shape: number[] = [];
      const strides: number[] = [];
      for (let d = 0; d < l.shape.length; d++) {
        const k = d < keys.length ? keys[d] : null;
        const n = l.shape[d];
        if (typeof k === 'number') {
          const i = k < 0 ? k + n : k;
          if (i < 0 || i >= n) return undefined;
          offset += i * l.strides[d];
        } else if (k === null) {
          shape.push(n);
          strides.push(l.strides[d]);
        } else {
          const idx = sliceIndices(n, k[0], k[1], k[2]);
          if (idx === undefined) return undefined;
          offset += idx[0] * l.strides[d];
          shape.push(idx[3]);
          strides.push(l.strides[d] * idx[2]);
        }
      }
      return { ...l, offset, shape, strides };
    };
  } else if (kind === 'transpose') {
    call = () => v.view.transpose();
    text = `${v.name}.transpose()`;
    derived = () => ({ ...l, shape: [...l.shape].reverse(), strides: [...l.strides].reverse() });
  } else {
    call = () => v.view.toReadonly();
    text = `${v.name}.toReadonly()`;
    derived = () => ({ ...l, readonly: true });
  }
  attempt(w, c.counts, 'view.derive', `const ${name} = ${text};`, call, (res) => {
    if (v.released) return { ok: false };
    const d = derived();
    if (d === undefined) return { ok: false };
    return {
      ok: true,
      // Memory gone: making a view needs no byte, so either answer is fine.
      errorOk: !w.accessible(l, v.gen),
      check: (got) => {
        const g = got as MemoryView;
        if (
          !same([...g.shape], [...d.shape]) ||
          !same(
            g.strides.map((x) => x + 0),
            d.strides.map((x) => x + 0),
          )
        ) {
          return `made shape ${show([...g.shape])} strides ${show([...g.strides])}; the model ${show([...d.shape])} ${show([...d.strides])}`;
        }
        if (
          span(d) !== undefined &&
          g.byteOffset - (addresses(l).length === 0 ? g.byteOffset : 0) !== g.byteOffset
        )
          return undefined;
        return undefined;
      },
      apply: () => {
        const h = hold(w, res as MemoryView, d, name);
        (h as { gen: number }).gen = v.gen;
        h.exportOf = v.exportOf;
      },
    };
  });
}

function indicesFor(rng: Random, l: ModelLayout): (number | bigint)[] {
  let n = l.shape.length;
  if (rng.chance(0.05)) n += rng.pick([-1, 1]);
  const out: (number | bigint)[] = [];
  for (let d = 0; d < Math.max(0, n); d++) {
    const len = l.shape[d] ?? 1;
    let i: number | bigint = rng.intIn(-len - 1, len);
    const odd = rng.next();
    if (odd < 0.05) i = Number(i) + 0.5;
    else if (odd < 0.1) i = BigInt(i);
    out.push(i);
  }
  return out;
}

/** The address of an element, or undefined when the indices are refused. */
function addressOf(l: ModelLayout, idx: readonly (number | bigint)[]): number | undefined {
  if (idx.length !== l.shape.length) return undefined;
  let at = l.offset;
  for (let d = 0; d < idx.length; d++) {
    const raw = idx[d];
    if (typeof raw === 'number' && !Number.isInteger(raw)) return undefined;
    let i = Number(raw);
    if (i < 0) i += l.shape[d];
    if (i < 0 || i >= l.shape[d]) return undefined;
    at += i * l.strides[d];
  }
  return at;
}

function opGet(c: Ctx): void {
  const { w, rng } = c;
  const v = pickView(c);
  if (v === undefined) {
    opMake(c);
    return;
  }
  const idx = indicesFor(rng, v.layout);
  attempt(
    w,
    c.counts,
    'view.get',
    `${v.name}.get(${idx.map(show).join(', ')});`,
    () => v.view.get(...idx),
    () => {
      const l = v.layout;
      const at = addressOf(l, idx);
      if (v.released || at === undefined) return { ok: false };
      if (!inMemory(w, v.gen, at, at + l.itemsize)) return { ok: false };
      return {
        ok: true,
        errorOk: !w.accessible(l, v.gen),
        check: checkSame(itemOf(model(l.format), w.mem.model, at)),
      };
    },
  );
}

/** A value for one element of format `fmt`. */
function elementValue(
  c: Ctx,
  fmt: string,
  avoid: HeldView | undefined,
): { value: unknown; text: string } {
  const f = model(fmt);
  const { values, text } = valuesFor(c.rng, f, hookMaker(c, avoid, false, true));
  if (f.values === 1) return { value: values[0], text: text[0] };
  return { value: values, text: `[${text.join(', ')}]` };
}

function opSet(c: Ctx): void {
  const { w, rng } = c;
  const v = pickView(c);
  if (v === undefined) {
    opMake(c);
    return;
  }
  const idx = indicesFor(rng, v.layout);
  HOOKED.length = 0;
  const { value, text } = elementValue(c, v.layout.format, v);
  const hooks = HOOKED.slice();
  attempt(
    w,
    c.counts,
    'view.set',
    `${v.name}.set(${[...idx.map(show), text].join(', ')});`,
    () => v.view.set(...idx, value),
    () => {
      const l = v.layout;
      const at = addressOf(l, idx);
      const f = model(l.format);
      const raw = f.values === 1 ? [value] : (value as unknown[]);
      // CPython's memoryview stores a native 'f' with a C cast (pack_single): a double
      // beyond float32's range becomes inf, where struct.pack raises OverflowError.
      const values =
        Array.isArray(raw) && (l.format === 'f' || l.format === '@f')
          ? raw.map((x) =>
              typeof x === 'number'
                ? Math.fround(x)
                : typeof x === 'bigint' && Number.isFinite(Number(x))
                  ? Math.fround(Number(x))
                  : x,
            )
          : raw;
      const packed =
        Array.isArray(values) && values.length === f.values
          ? packModel(f, values, truthOf)
          : undefined;
      const partial =
        packed === undefined || at === undefined ? undefined : { lo: at, bytes: packed.bytes };
      if (v.released || at === undefined || l.readonly || packed === undefined || packed.bad >= 0) {
        return { ok: false, partial };
      }
      if (!inMemory(w, v.gen, at, at + l.itemsize)) return { ok: false, partial };
      return {
        ok: true,
        errorOk: !w.accessible(l, v.gen) || hooks.some((h) => h[1].fired),
        partial,
        apply: () => w.mem.model.set(packed.bytes, at),
      };
    },
  );
}

function opRead(c: Ctx): void {
  const { w, rng } = c;
  const v = pickView(c);
  if (v === undefined) {
    opMake(c);
    return;
  }
  const l = v.layout;
  const kind = rng.pick(['toList', 'toBytes', 'toBytesF', 'hex', 'hexSep']);
  const sep = rng.pick([':', '-', ' ', '', 'ab', '\u00e9']);
  const per = rng.pick([1, 2, 3, -1, -2, -4]);
  const calls: Record<string, [string, () => unknown]> = {
    toList: [`${v.name}.toList();`, () => v.view.toList()],
    toBytes: [`${v.name}.toBytes();`, () => v.view.toBytes()],
    toBytesF: [`${v.name}.toBytes('F');`, () => v.view.toBytes('F')],
    hex: [`${v.name}.hex();`, () => v.view.hex()],
    hexSep: [`${v.name}.hex(${JSON.stringify(sep)}, ${per});`, () => v.view.hex(sep, per)],
  };
  const [text, call] = calls[kind];
  attempt(w, c.counts, 'view.read', text, call, () => {
    if (v.released) return { ok: false };
    const empty = span(l) === undefined;
    if (!w.accessible(l, v.gen)) return { ok: false };
    const mem = w.mem.model;
    let expected: unknown;
    if (kind === 'toList') expected = nested(l, mem);
    else if (kind === 'toBytesF') expected = bytesAt(mem, fAddresses(l), l.itemsize);
    else {
      const b = bytesAt(mem, addresses(l), l.itemsize);
      expected = kind === 'hex' ? hexOf(b) : b;
      if (kind === 'hexSep') {
        // CPython's bytes.hex(sep, n): one ASCII character; groups of |n| bytes counted
        // from the right for n > 0, from the left for n < 0.
        if (sep.length !== 1 || sep.charCodeAt(0) > 127) return { ok: false };
        const groups: string[] = [];
        const k = Math.abs(per);
        if (per > 0) {
          for (let end = b.length; end > 0; end -= k)
            groups.unshift(hexOf(b.subarray(Math.max(0, end - k), end)));
        } else {
          for (let at = 0; at < b.length; at += k) groups.push(hexOf(b.subarray(at, at + k)));
        }
        expected = groups.join(sep);
      }
    }
    return { ok: true, errorOk: empty && w.doubtful(l, v.gen), check: checkSame(expected) };
  });
}

function opIterate(c: Ctx): void {
  const { w, rng } = c;
  const v = pickView(c);
  if (v === undefined) {
    opMake(c);
    return;
  }
  const l = v.layout;
  const stopAt = rng.chance(0.4) ? rng.intIn(0, 3) : -1;
  const mutateAt = rng.chance(0.3) ? rng.intIn(0, 3) : -1;
  const act = mutateAt >= 0 ? interference(c, v, true) : undefined;
  const problems: string[] = [];
  let seen = 0;
  let goneBefore = false;
  const text = `for (const x of ${v.name}) { /* ${stopAt >= 0 ? `break after ${stopAt + 1}` : 'all'}${act ? `; after ${mutateAt + 1}: ${act.text}` : ''} */ }`;
  attempt(
    w,
    c.counts,
    'view.iterate',
    text,
    () => {
      const f = model(l.format);
      let i = 0;
      goneBefore = !v.released && !w.accessible(l, v.gen);
      for (const x of v.view) {
        // Each element is judged against the memory as it is when it is handed out.
        const at = l.offset + i * (l.strides[0] ?? 0);
        if (!inMemory(w, v.gen, at, at + l.itemsize))
          problems.push(`element ${i} read from memory that is gone: ${show(x)}`);
        else if (!same(x, itemOf(f, w.mem.model, at)))
          problems.push(
            `element ${i} is ${show(x)}, the model ${show(itemOf(f, w.mem.model, at))}`,
          );
        seen = ++i;
        if (i - 1 === mutateAt) act?.run();
        if (i - 1 === stopAt) break;
      }
    },
    () => {
      if (problems.length > 0) return { ok: true, check: () => problems[0] };
      if (v.released || l.shape.length !== 1) return { ok: false };
      // Gone memory before the first element: an error ([] for an empty view is in doubt).
      if (goneBefore) return { ok: span(l) === undefined, errorOk: true };
      const n = l.shape[0];
      const want = stopAt >= 0 ? Math.min(stopAt + 1, n) : n;
      // The iterator is asked again after the mutation: it may then refuse.
      const askedAfter = act !== undefined && mutateAt < n && (stopAt < 0 || stopAt > mutateAt);
      return {
        ok: true,
        errorOk: askedAfter && !w.accessible(l, v.gen),
        check: () => (seen === want ? undefined : `${seen} elements, the model ${want}`),
      };
    },
  );
}

function opAssign(c: Ctx): void {
  const { w, rng } = c;
  const v = pickView(c);
  if (v === undefined) {
    opMake(c);
    return;
  }
  const l = v.layout;
  // The source: another held view of the same format and shape (overlap included), or a
  // fresh one.
  const same_ = w.views.filter(
    (o) => o.layout.format === l.format && same([...o.layout.shape], [...l.shape]),
  );
  let src: unknown;
  let srcText: string;
  let srcBytes: () => Uint8Array | undefined;
  if (same_.length > 0 && rng.chance(0.6)) {
    const o = rng.pick(same_);
    src = o.view;
    srcText = o.name;
    srcBytes = () =>
      o.released || !w.accessible(o.layout, o.gen)
        ? undefined
        : bytesAt(w.mem.model, addresses(o.layout), l.itemsize);
  } else {
    const n = count(l) * l.itemsize + (rng.chance(0.1) ? 1 : 0);
    const fresh = rng.bytes(n);
    const shape = [...l.shape];
    srcText = `memoryview(${show(fresh)}).cast(${JSON.stringify(l.format)}, ${show(shape)})`;
    try {
      src = memoryview(fresh).cast(l.format, shape);
    } catch {
      return;
    }
    srcBytes = () => fresh;
  }
  attempt(
    w,
    c.counts,
    'view.assign',
    `${v.name}.assign(${srcText});`,
    () => v.view.assign(src as never),
    () => {
      const bytes = srcBytes();
      if (v.released || l.readonly || bytes === undefined || !w.accessible(l, v.gen))
        return { ok: false };
      const addrs = addresses(l);
      return {
        ok: true,
        errorOk: w.doubtful(l, v.gen),
        apply: () => {
          addrs.forEach((a, i) => {
            w.mem.model.set(bytes.subarray(i * l.itemsize, (i + 1) * l.itemsize), a);
          });
        },
      };
    },
  );
}

function opRelease(c: Ctx): void {
  const { w } = c;
  const v = pickView(c);
  if (v === undefined) return;
  attempt(
    w,
    c.counts,
    'view.release',
    `${v.name}.release();`,
    () => v.view.release(),
    () => {
      // A reader over this view, or a view a reader handed out, holds an export of it.
      const held =
        w.readers.some((r) => !r.released && r.name.endsWith(`<${v.name}>`)) ||
        w.views.some((o) => !o.released && o.exportOf === v.name);
      return { ok: !held, apply: () => (v.released = true) };
    },
  );
}

function opPack(c: Ctx): void {
  const { w, rng } = c;
  const fmt = structFormat(rng);
  const f = model(fmt);
  HOOKED.length = 0;
  const { values, text } = valuesFor(rng, f, hookMaker(c, undefined, false));
  if (rng.chance(0.03)) values.pop();
  attempt(
    w,
    c.counts,
    'struct.pack',
    `pack(${JSON.stringify(fmt)}, ${text.slice(0, values.length).join(', ')});`,
    () => pack(fmt, ...(values as never[])),
    () => {
      if (values.length !== f.values) return { ok: false };
      const p = packModel(f, values, truthOf);
      return { ok: p.bad < 0, check: checkSame(p.bytes) };
    },
  );
}

function offsetFor(rng: Random, len: number, size: number): number {
  return rng.pick([0, 0, rng.intIn(-len - 2, len + 2), len - size, -size]);
}

/** CPython's offset rule for unpack_from / pack_into: the start, or undefined (error). */
function startOf(len: number, offset: number, size: number): number | undefined {
  let o = offset;
  if (o < 0) {
    if (o + len < 0) return undefined;
    o += len;
  }
  if (len - o < size) return undefined;
  return o;
}

function opPackInto(c: Ctx): void {
  const { w, rng } = c;
  const t = pickTarget(c);
  const fmt = structFormat(rng);
  const f = model(fmt);
  HOOKED.length = 0;
  const { values, text } = valuesFor(rng, f, hookMaker(c, t.view, true));
  const hooks = HOOKED.slice();
  const before = t.layout();
  const len0 = before === undefined ? 0 : count(before) * before.itemsize;
  const off = offsetFor(rng, len0, f.size);
  let atCall: ModelLayout | undefined;
  attempt(
    w,
    c.counts,
    'struct.packInto',
    `packInto(${JSON.stringify(fmt)}, ${t.text}, ${off}${text.map((x) => `, ${x}`).join('')});`,
    () => {
      // CPython takes the export, then resolves the offset, then converts the values:
      // the region is the one exported, whatever a value's user code does afterwards.
      atCall = t.layout();
      return packInto(fmt, t.obj as never, off, ...(values as never[]));
    },
    (): Expectation => {
      if (values.length !== f.values) return { ok: false };
      const exported = t.snap === undefined ? atCall : t.snap.layout;
      const r = regionOf(w, exported, t.gen(), true);
      const p = packModel(f, values, truthOf);
      const fired = hooks.some((h) => h[1].fired);
      if (r === 'gone') {
        // Memory shrank under a larger export: writing bytes that survive is no lie.
        const l = exported!;
        const n = count(l) * l.itemsize;
        const st = isC(l) && !l.readonly ? startOf(n, off, f.size) : undefined;
        if (
          st !== undefined &&
          p.bad < 0 &&
          inMemory(w, t.gen(), l.offset + st, l.offset + st + f.size)
        ) {
          return { ok: true, errorOk: true, apply: () => w.mem.model.set(p.bytes, l.offset + st) };
        }
      }
      if (r === 'refused' || r === 'gone') {
        const l = exported;
        const start = l === undefined ? undefined : startOf(count(l) * l.itemsize, off, f.size);
        return {
          ok: false,
          partial:
            start === undefined || l === undefined
              ? undefined
              : { lo: l.offset + start, bytes: p.bytes },
        };
      }
      const start = startOf(r.len, off, f.size);
      if (start === undefined) return { ok: false };
      const partial = { lo: r.lo + start, bytes: p.bytes };
      if (p.bad >= 0) return { ok: false, partial };
      return {
        ok: true,
        errorOk: fired,
        partial,
        // A record of no bytes writes nothing (an empty view's offset may lie outside).
        apply: () => {
          if (p.bytes.length > 0) w.mem.model.set(p.bytes, r.lo + start);
        },
      };
    },
  );
}

function opUnpack(c: Ctx): void {
  const { w, rng } = c;
  const t = pickTarget(c);
  const fmt = structFormat(rng);
  const f = model(fmt);
  const from = rng.chance(0.5);
  const l0 = t.layout();
  const len0 = l0 === undefined ? 0 : count(l0) * l0.itemsize;
  const off = offsetFor(rng, len0, f.size);
  const text = from
    ? `unpackFrom(${JSON.stringify(fmt)}, ${t.text}, ${off});`
    : `unpack(${JSON.stringify(fmt)}, ${t.text});`;
  attempt(
    w,
    c.counts,
    'struct.unpack',
    text,
    () => (from ? unpackFrom(fmt, t.obj as never, off) : unpack(fmt, t.obj as never)),
    () => {
      const r = region(w, t, false);
      if (r === 'gone' && f.size === 0) return { ok: true, errorOk: true };
      if (r === 'refused' || r === 'gone') return { ok: false };
      const start = from ? startOf(r.len, off, f.size) : r.len === f.size ? 0 : undefined;
      if (start === undefined) return { ok: false };
      return { ok: true, check: checkSame(unpackModel(f, w.mem.model, r.lo + start)) };
    },
  );
}

function opIterUnpack(c: Ctx): void {
  const { w, rng } = c;
  const t = pickTarget(c);
  const fmt = rng.chance(0.5)
    ? rng.pick(['B', '<H', '>I', 'B?', '<hB', '2s', '0s', 'x'])
    : structFormat(rng);
  const f = model(fmt);
  const stopAt = rng.chance(0.4) ? rng.intIn(0, 3) : -1;
  const mutateAt = rng.chance(0.3) ? rng.intIn(0, 3) : -1;
  const act = mutateAt >= 0 ? interference(c, t.view, true) : undefined;
  const problems: string[] = [];
  let r0: ReturnType<typeof region> = 'refused';
  let records = 0;
  const text = `for (const rec of iterUnpack(${JSON.stringify(fmt)}, ${t.text})) { /* ${stopAt >= 0 ? `break after ${stopAt + 1}` : 'all'}${act ? `; after ${mutateAt + 1}: ${act.text}` : ''} */ }`;
  attempt(
    w,
    c.counts,
    'struct.iterUnpack',
    text,
    () => {
      // The export is taken here (a wrapping exporter's user code runs first).
      const it = iterUnpack(fmt, t.obj as never);
      r0 = region(w, t, false);
      const gen = t.gen();
      let i = 0;
      for (const rec of it) {
        if (typeof r0 === 'string') {
          problems.push(
            `a record from an export the model ${r0 === 'gone' ? 'finds gone' : 'refuses'}: ${show(rec)}`,
          );
          break;
        }
        const at = r0.lo + i * f.size;
        // A record without values reads no byte: [] from memory that is gone is in doubt.
        if (!inMemory(w, gen, at, at + f.size)) {
          if (f.values > 0)
            problems.push(`record ${i} read from memory that is gone: ${show(rec)}`);
        } else if (!same(rec, unpackModel(f, w.mem.model, at)))
          problems.push(
            `record ${i} is ${show(rec)}, the model ${show(unpackModel(f, w.mem.model, at))}`,
          );
        i++;
        records = i;
        if (i - 1 === mutateAt) act?.run();
        if (i - 1 === stopAt) break;
      }
    },
    () => {
      if (problems.length > 0) return { ok: true, check: () => problems[0] };
      const r = r0;
      // Memory gone before any record: JavaScript shows it as empty, so no record at all
      // is as acceptable as an error.
      if (r === 'gone') return { ok: true, errorOk: true };
      if (typeof r === 'string') return { ok: false };
      if (f.size === 0 || r.len % f.size !== 0) return { ok: false };
      const n = r.len / f.size;
      const want = stopAt >= 0 ? Math.min(stopAt + 1, n) : n;
      const askedAfter = act !== undefined && mutateAt < n && (stopAt < 0 || stopAt > mutateAt);
      return {
        ok: true,
        errorOk: askedAfter && act.mutates,
        // No silent early end: every record up to the break, or an error.
        check: () => (records === want ? undefined : `${records} records, the model ${want}`),
      };
    },
  );
}

function opMutate(c: Ctx): void {
  const { w, rng } = c;
  const m = w.mem;
  const choices: string[] = [];
  if (m.detach !== undefined && !m.detached) choices.push('detach');
  if (m.resize !== undefined && !m.detached) choices.push('resize');
  if (choices.length === 0) return;
  const which = rng.pick(choices);
  const line = which === 'detach' ? m.detach!() : m.resize!(rng);
  if (line !== undefined) log(w, line);
}

function opByteArray(c: Ctx): void {
  const { w, rng } = c;
  const ba = w.mem.byteArray;
  if (ba === undefined) return;
  const kind = rng.pick(['append', 'resize', 'extend', 'pop', 'set']);
  const m = w.mem;
  const locked = w.locked();
  if (kind === 'append') {
    const x = rng.intIn(0, 255);
    attempt(
      w,
      c.counts,
      'bytearray',
      `ba.append(${x});`,
      () => ba.append(x),
      () => ({
        ok: !locked,
        apply: () => (m.model = Uint8Array.from([...m.model, x])),
      }),
    );
  } else if (kind === 'resize') {
    const n = rng.intIn(0, m.model.length + 8);
    attempt(
      w,
      c.counts,
      'bytearray',
      `ba.resize(${n});`,
      () => ba.resize(n),
      () => ({
        ok: !locked || n === m.model.length,
        errorOk: n === m.model.length,
        apply: () => {
          const next = new Uint8Array(n);
          next.set(m.model.subarray(0, Math.min(n, m.model.length)));
          m.model = next;
        },
      }),
    );
  } else if (kind === 'extend') {
    const b = rng.bytes(rng.intIn(0, 5));
    attempt(
      w,
      c.counts,
      'bytearray',
      `ba.extend(${show(b)});`,
      () => ba.extend(b),
      () => ({
        ok: !locked || b.length === 0,
        errorOk: b.length === 0,
        apply: () => (m.model = Uint8Array.from([...m.model, ...b])),
      }),
    );
  } else if (kind === 'pop') {
    attempt(
      w,
      c.counts,
      'bytearray',
      'ba.pop();',
      () => ba.pop(),
      () => ({
        ok: !locked && m.model.length > 0,
        check: checkSame(m.model[m.model.length - 1]),
        apply: () => (m.model = m.model.slice(0, -1)),
      }),
    );
  } else {
    const i = rng.intIn(-m.model.length - 1, m.model.length);
    const x = rng.intIn(0, 255);
    attempt(
      w,
      c.counts,
      'bytearray',
      `ba.set(${i}, ${x});`,
      () => ba.set(i, x),
      () => {
        const k = i < 0 ? i + m.model.length : i;
        return { ok: k >= 0 && k < m.model.length, apply: () => (m.model[k] = x) };
      },
    );
  }
}

function opReader(c: Ctx): void {
  const { w, rng } = c;
  const live = c.w.readers.filter((r) => !r.released);
  if (live.length === 0 || rng.chance(0.2)) {
    const t = pickTarget(c);
    const name = w.name('r');
    let atCall: ModelLayout | undefined;
    attempt(
      w,
      c.counts,
      'reader',
      `const ${name} = new BufferReader(${t.text});`,
      () => {
        atCall = t.layout();
        return new BufferReader(t.obj as never);
      },
      (res) => {
        // The export is what [BUFFER] returns: a wrapper's user code runs first and may
        // bring memory back in bounds (or take it away), so judge the layout it exported.
        const l = t.snap === undefined ? atCall : t.snap.layout;
        const r = regionOf(w, l, t.gen(), false);
        if (r === 'refused' || l === undefined) return { ok: false };
        const layout: ModelLayout = {
          offset: r === 'gone' ? l.offset : r.lo,
          shape: [r === 'gone' ? count(l) * l.itemsize : r.len],
          strides: [1],
          format: 'B',
          itemsize: 1,
          readonly: l.readonly,
        };
        return {
          ok: true,
          errorOk: r === 'gone',
          apply: () => {
            heldReader(w, res as BufferReader, layout, `${name}<${t.text}>`);
          },
        };
      },
    );
    return;
  }
  const r = rng.pick(live);
  const kind = rng.pick(['read', 'readBytes', 'unpack', 'skip', 'seek', 'tell', 'release']);
  const len = r.layout.shape[0];
  const n = rng.chance(0.1) ? rng.pick([-1, 0.5, len + 1]) : rng.intIn(0, Math.max(0, len - r.pos));
  const gone = () => !w.accessible(r.layout, r.gen);
  const rn = r.name.split('<')[0];
  switch (kind) {
    case 'read':
    case 'readBytes':
    case 'skip': {
      const vname = w.name('v');
      attempt(
        w,
        c.counts,
        'reader',
        `${kind === 'read' ? `const ${vname} = ` : ''}${rn}.${kind}(${n});`,
        () => (r.reader as unknown as Record<string, (n: number) => unknown>)[kind](n),
        (res) => {
          if (r.released || !Number.isInteger(n) || n < 0 || n > len - r.pos) return { ok: false };
          const lo = r.layout.offset + r.pos;
          const want = w.mem.model.slice(lo, lo + n);
          return {
            ok: !gone() || n === 0,
            errorOk: n === 0 && gone(),
            check: (got) => {
              if (kind === 'readBytes' && !same(got, want))
                return `returned ${show(got)}, the model ${show(want)}`;
              if (kind === 'read' && (got as MemoryView).nbytes !== n)
                return `a view of ${(got as MemoryView).nbytes} bytes, not ${n}`;
              return undefined;
            },
            apply: () => {
              if (kind === 'read')
                hold(
                  w,
                  res as MemoryView,
                  {
                    offset: lo,
                    shape: [n],
                    strides: [1],
                    format: 'B',
                    itemsize: 1,
                    readonly: r.layout.readonly,
                  },
                  vname,
                ).exportOf = r.name.slice(r.name.indexOf('<') + 1, -1);
              r.pos += n;
            },
          };
        },
      );
      return;
    }
    case 'unpack': {
      const fmt = rng.pick(['B', '<H', '>I', '<hB', '2s', '?']);
      const f = model(fmt);
      attempt(
        w,
        c.counts,
        'reader',
        `${rn}.unpack(${JSON.stringify(fmt)});`,
        () => r.reader.unpack(fmt),
        () => {
          if (r.released || f.size > len - r.pos || gone()) return { ok: false };
          const lo = r.layout.offset + r.pos;
          return {
            ok: true,
            check: checkSame(unpackModel(f, w.mem.model, lo)),
            apply: () => (r.pos += f.size),
          };
        },
      );
      return;
    }
    case 'seek': {
      const p = rng.intIn(-len - 1, len + 1);
      attempt(
        w,
        c.counts,
        'reader',
        `${rn}.seek(${p});`,
        () => r.reader.seek(p),
        () => {
          const q = p < 0 ? p + len : p;
          return {
            ok: !r.released && q >= 0 && q <= len,
            errorOk: r.released,
            apply: () => (r.pos = q),
          };
        },
      );
      return;
    }
    case 'tell':
      attempt(
        w,
        c.counts,
        'reader',
        `${rn}.tell();`,
        () => r.reader.tell(),
        () => ({ ok: true, errorOk: r.released, check: checkSame(r.pos) }),
      );
      return;
    default:
      attempt(
        w,
        c.counts,
        'reader',
        `${rn}.release();`,
        () => r.reader.release(),
        () => ({ ok: true, apply: () => (r.released = true) }),
      );
  }
}

function opWriter(c: Ctx): void {
  const { w, rng } = c;
  const ba = w.mem.byteArray;
  if (ba === undefined) return;
  const m = w.mem;
  const writer = new BufferWriter(ba);
  const kind = rng.pick(['pack', 'pack', 'write', 'reserve', 'finish']);
  const locked = w.locked();
  if (kind === 'pack') {
    const fmt = structFormat(rng);
    const f = model(fmt);
    HOOKED.length = 0;
    // Hooks here re-enter pack, or append to the writer's own ByteArray while the record
    // is being converted (the writer holds no export: the append may succeed).
    let appended = false;
    const { values, text } = valuesFor(
      rng,
      f,
      c.enabled.has('reentrant')
        ? () => {
            const a = rng.intIn(0, 255);
            const grow = rng.chance(0.5);
            return hookValue(
              rng,
              () => {
                if (grow) {
                  try {
                    ba.append(7);
                    appended = true;
                    m.model = Uint8Array.from([...m.model, 7]);
                  } catch {}
                  return;
                }
                const got = pack('B?', a, false);
                if (!same(got, Uint8Array.of(a, 0))) {
                  fail(
                    c.counts,
                    'wrong result',
                    'reentrant',
                    `pack inside writer.pack's hook returned ${show(got)}`,
                  );
                }
              },
              grow ? 'ba.append(7)' : `pack('B?', ${a}, false)`,
            );
          }
        : undefined,
    );
    attempt(
      w,
      c.counts,
      'writer',
      `new BufferWriter(ba).pack(${JSON.stringify(fmt)}${text.map((x) => `, ${x}`).join('')});`,
      () => writer.pack(fmt, ...(values as never[])),
      (): Expectation => {
        const p = packModel(f, values, truthOf);
        if (!appended) {
          return {
            ok: !locked && p.bad < 0,
            apply: () => (m.model = Uint8Array.from([...m.model, ...p.bytes])),
          };
        }
        // The hook appended a 7: the record then lies after it, or before it — never
        // half in the old memory.
        const old = m.model.subarray(0, m.model.length - 1);
        const after = Uint8Array.from([...old, 7, ...p.bytes]);
        const before = Uint8Array.from([...old, ...p.bytes, 7]);
        return {
          ok: p.bad < 0,
          errorOk: true,
          check: () => {
            const real = m.real()!;
            if (same(real, after)) m.model = after;
            else if (same(real, before)) m.model = before;
            else
              return `the ByteArray holds ${show(real)}; the model ${show(after)} or ${show(before)}`;
            return undefined;
          },
        };
      },
    );
  } else if (kind === 'write') {
    const b = rng.bytes(rng.intIn(0, 4));
    attempt(
      w,
      c.counts,
      'writer',
      `new BufferWriter(ba).write(${show(b)});`,
      () => writer.write(b),
      () => ({
        ok: !locked || b.length === 0,
        errorOk: b.length === 0,
        apply: () => (m.model = Uint8Array.from([...m.model, ...b])),
      }),
    );
  } else if (kind === 'reserve') {
    const fmt = rng.pick(['>I', '<H', 'B']);
    const f = model(fmt);
    const x = rng.intIn(0, 255);
    attempt(
      w,
      c.counts,
      'writer',
      `new BufferWriter(ba).reserve(${JSON.stringify(fmt)}).fill(${x});`,
      () => writer.reserve(fmt).fill(x as never),
      () => {
        const p = packModel(f, [x], truthOf);
        return { ok: !locked, apply: () => (m.model = Uint8Array.from([...m.model, ...p.bytes])) };
      },
    );
  } else {
    const name = w.name('v');
    attempt(
      w,
      c.counts,
      'writer',
      `const ${name} = new BufferWriter(ba).finish();`,
      () => writer.finish(),
      (res) => ({
        ok: true,
        apply: () => {
          hold(
            w,
            res as MemoryView,
            {
              offset: 0,
              shape: [m.model.length],
              strides: [1],
              format: 'B',
              itemsize: 1,
              readonly: false,
            },
            name,
          );
        },
      }),
    );
  }
}

function opFrames(c: Ctx): void {
  const { w, rng } = c;
  const header = rng.pick(['>I', '<H', '>HB']);
  const hf = model(header);
  const includes = rng.chance(0.3);
  const payloads: Uint8Array[] = [];
  const nframes = rng.intIn(1, 4);
  for (let i = 0; i < nframes; i++) payloads.push(rng.bytes(rng.intIn(0, 6)));
  const parts: number[] = [];
  for (const p of payloads) {
    const hv =
      header === '>HB'
        ? [p.length + (includes ? hf.size : 0), 9]
        : [p.length + (includes ? hf.size : 0)];
    parts.push(...packModel(hf, hv, truthOf).bytes, ...p);
  }
  const stream = Uint8Array.from(parts);
  // Chunks at random cuts, each in its own (resizable, detachable) ArrayBuffer.
  const cuts = [0];
  while (cuts[cuts.length - 1] < stream.length)
    cuts.push(Math.min(stream.length, cuts[cuts.length - 1] + rng.intIn(1, 8)));
  const chunks = cuts.slice(1).map((end, i) => {
    const ab = new ArrayBuffer(end - cuts[i], { maxByteLength: 64 });
    new Uint8Array(ab).set(stream.subarray(cuts[i], end));
    return { ab, u8: new Uint8Array(ab) };
  });
  const decoder = new FrameDecoder({ header, lengthIncludesHeader: includes, maxLength: 1000 });
  const stopAt = rng.chance(0.3) ? rng.intIn(0, nframes - 1) : -1;
  // 'frames.mutate': a chunk detached between the frames it holds.
  const detachAt =
    rng.chance(0.3) && c.enabled.has('frames.mutate') ? rng.intIn(0, nframes - 1) : -1;
  const got: Uint8Array[] = [];
  const problems: string[] = [];
  let detachedSome = false;
  const text = `const d = new FrameDecoder({ header: ${JSON.stringify(header)}, lengthIncludesHeader: ${includes} }); // stream ${show(stream)} cut at ${show(cuts)}; ${stopAt >= 0 ? `break after frame ${stopAt + 1}, then push() again; ` : ''}${detachAt >= 0 ? `detach the chunk after frame ${detachAt + 1}` : ''}`;
  attempt(
    w,
    c.counts,
    'frames',
    text,
    () => {
      let stopped = false;
      for (const ch of chunks) {
        for (const frame of decoder.push(ch.u8)) {
          const k = got.length;
          const bytes = frame.payload.toBytes();
          // Correct bytes after a detach can only come from a copy taken before it: fine.
          got.push(bytes);
          frame.payload.release();
          if (k === detachAt) {
            structuredClone(ch.ab, { transfer: [ch.ab] });
            detachedSome = true;
          }
          if (k === stopAt && !stopped) {
            stopped = true;
            break;
          }
        }
      }
      if (stopped) for (const frame of decoder.push()) got.push(frame.payload.toBytes());
      return got;
    },
    () => {
      if (problems.length > 0) return { ok: true, check: () => problems[0] };
      for (let i = 0; i < got.length; i++) {
        if (!same(got[i], payloads[i]))
          return {
            ok: true,
            check: () => `frame ${i} is ${show(got[i])}, the model ${show(payloads[i])}`,
          };
      }
      return {
        ok: true,
        errorOk: detachedSome,
        check: () =>
          got.length === payloads.length
            ? undefined
            : `${got.length} frames, the model ${payloads.length}`,
      };
    },
  );
}

/** Field `k` of a record format as the model sees it: a one-value format and its offset. */
function fieldOf(
  fmt: string,
  k: number,
): { format: string; offset: number; size: number } | undefined {
  const f = model(fmt);
  const prefix = '<>!='.includes(fmt[0]) ? fmt[0] : '';
  const fields: { format: string; offset: number; size: number }[] = [];
  for (const it of f.items) {
    if (it.code === 'x') continue;
    if (it.code === 's') {
      fields.push({ format: `${prefix}${it.count}s`, offset: it.offset, size: it.count });
      continue;
    }
    for (let n = 0; n < it.count; n++)
      fields.push({ format: prefix + it.code, offset: it.offset + n * it.size, size: it.size });
  }
  const i = k < 0 ? k + fields.length : k;
  return i >= 0 && i < fields.length ? fields[i] : undefined;
}

function opField(c: Ctx): void {
  const { w, rng } = c;
  const v = pickView(c);
  if (v === undefined) {
    opMake(c);
    return;
  }
  const l = v.layout;
  const nf = model(l.format).values;
  const k = rng.intIn(-nf - 1, nf);
  const name = w.name('v');
  attempt(
    w,
    c.counts,
    'view.field',
    `const ${name} = ${v.name}.field(${k});`,
    () => v.view.field(k),
    (res) => {
      const fd = fieldOf(l.format, k);
      if (v.released || fd === undefined) return { ok: false };
      const d: ModelLayout = {
        ...l,
        offset: l.offset + fd.offset,
        format: fd.format,
        itemsize: fd.size,
      };
      return {
        ok: true,
        // Memory gone: a field view needs no byte, so either answer is fine.
        errorOk: !w.accessible(l, v.gen),
        check: (got) => {
          const g = got as MemoryView;
          if (
            g.format !== d.format ||
            g.itemsize !== d.itemsize ||
            !same([...g.shape], [...d.shape])
          )
            return `made format ${g.format} itemsize ${g.itemsize} shape ${show([...g.shape])}; the model ${d.format} ${d.itemsize} ${show([...d.shape])}`;
          return undefined;
        },
        apply: () => {
          const h = hold(w, res as MemoryView, d, name);
          (h as { gen: number }).gen = v.gen;
          h.exportOf = v.exportOf;
        },
      };
    },
  );
}

/** The TypedArray class memview hands out for a format on this (little-endian) host. */
function typedNameOf(fmt: string): string | undefined {
  const names: Record<string, string> = {
    B: 'Uint8Array',
    b: 'Int8Array',
    h: 'Int16Array',
    H: 'Uint16Array',
    i: 'Int32Array',
    I: 'Uint32Array',
    l: 'BigInt64Array',
    L: 'BigUint64Array',
    q: 'BigInt64Array',
    Q: 'BigUint64Array',
    n: 'BigInt64Array',
    N: 'BigUint64Array',
    f: 'Float32Array',
    d: 'Float64Array',
  };
  if ('Float16Array' in globalThis) names.e = 'Float16Array';
  let code = fmt;
  if (fmt[0] === '<' || fmt[0] === '=' || fmt[0] === '@') code = fmt.slice(1);
  if (code.length !== 1) return undefined;
  // '<l' is 4 bytes: Int32Array.
  if (fmt[0] === '<' || fmt[0] === '=') {
    if (code === 'l') return 'Int32Array';
    if (code === 'L') return 'Uint32Array';
  }
  return names[code];
}

function opTypedArray(c: Ctx): void {
  const { w } = c;
  const v = pickView(c);
  if (v === undefined) {
    opMake(c);
    return;
  }
  const l = v.layout;
  attempt(
    w,
    c.counts,
    'view.typed',
    `${v.name}.toTypedArray();`,
    () => v.view.toTypedArray(),
    () => {
      const name = typedNameOf(l.format);
      const n = count(l);
      if (v.released || name === undefined || l.readonly || !isC(l)) return { ok: false };
      if (n > 0 && l.offset % l.itemsize !== 0) return { ok: false };
      if (!w.accessible(l, v.gen)) {
        // An empty view over memory that is gone: [] or an error.
        return n === 0 ? { ok: true, errorOk: true } : { ok: false };
      }
      const want = w.mem.model.slice(l.offset, l.offset + n * l.itemsize);
      return {
        ok: true,
        check: (got) => {
          const t = got as ArrayBufferView & { length: number };
          if (t.constructor.name !== name || t.length !== n)
            return `a ${t.constructor.name} of ${t.length}, the model a ${name} of ${n}`;
          if (n > 0 && t.byteOffset !== l.offset)
            return `starts at byte ${t.byteOffset}, the model at ${l.offset}`;
          const bytes = new Uint8Array(t.buffer, t.byteOffset, t.byteLength).slice();
          return same(bytes, want) ? undefined : `holds ${show(bytes)}, the model ${show(want)}`;
        },
      };
    },
  );
}

/** Python's `a == b` over the values the model unpacks (True == 1, 1 == 1.0, NaN != NaN). */
function pyEq(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) return same(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => pyEq(x, b[i]))
    );
  }
  const num = (x: unknown) => (typeof x === 'boolean' ? (x ? 1 : 0) : (x as number | bigint));
  const x = num(a);
  const y = num(b);
  if (typeof x === typeof y) return x === y;
  const [f, big] = typeof x === 'number' ? [x, y as bigint] : [y as number, x as bigint];
  return Number.isInteger(f) && BigInt(f) === big;
}

/** CPython's equiv_shape: same rank, same extents up to the first empty dimension. */
function equivShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let d = 0; d < a.length; d++) {
    if (a[d] !== b[d]) return false;
    if (a[d] === 0) break;
  }
  return true;
}

function opEquals(c: Ctx): void {
  const { w, rng } = c;
  const v = pickView(c);
  if (v === undefined) {
    opMake(c);
    return;
  }
  const l = v.layout;
  // The other side: itself, a held view or the source (perhaps behind a wrapper whose
  // [BUFFER] runs user code), a fresh copy of the view's values, or no exporter at all.
  const r = rng.next();
  let other: unknown;
  let text: string;
  let otherLayout: () => { layout: ModelLayout | undefined; gen: number } | 'never';
  let target: Target | undefined;
  if (r < 0.15) {
    other = v.view;
    text = v.name;
    otherLayout = () => (v.released ? 'never' : { layout: l, gen: v.gen });
  } else if (r < 0.65) {
    const t = pickTarget(c);
    target = t;
    other = t.obj;
    text = t.text;
    otherLayout = () => {
      if (t.view !== undefined && t.snap === undefined && t.view.released) return 'never';
      return { layout: t.snap === undefined ? t.layout() : t.snap.layout, gen: t.gen() };
    };
  } else if (r < 0.9 && w.accessible(l, v.gen) && !v.released) {
    const fresh = bytesAt(w.mem.model, addresses(l), l.itemsize);
    if (fresh.length > 0 && rng.chance(0.3))
      fresh[rng.intBelow(fresh.length)] ^= 1 << rng.intBelow(8);
    const shape = [...l.shape];
    const fl: ModelLayout = {
      offset: 0,
      shape: l.shape,
      strides: [],
      format: l.format,
      itemsize: l.itemsize,
      readonly: false,
    };
    let acc = l.itemsize;
    const strides: number[] = [];
    for (let d = shape.length - 1; d >= 0; d--) {
      strides[d] = acc;
      acc *= shape[d];
    }
    try {
      other = memoryview(fresh).cast(l.format, shape);
      text = `memoryview(${show(fresh)}).cast(${JSON.stringify(l.format)}, ${show(shape)})`;
      const copy = { ...fl, strides };
      otherLayout = () => ({ layout: copy, gen: -1 });
      const mem = fresh;
      attemptEquals(c, v, other, text, otherLayout, mem, undefined);
      return;
    } catch {
      other = fresh;
      text = show(fresh);
      const flat: ModelLayout = {
        ...fl,
        shape: [fresh.length],
        strides: [1],
        format: 'B',
        itemsize: 1,
      };
      attemptEquals(c, v, other, text, () => ({ layout: flat, gen: -1 }), fresh, undefined);
      return;
    }
  } else {
    other = rng.pick([5, 'ab', null, {}, [1, 2]]);
    text = show(other);
    otherLayout = () => 'never';
  }
  attemptEquals(c, v, other, text, otherLayout, undefined, target);
}

/**
 * Judges `v.equals(other)`; `otherLayout` is what the other side exported (`'never'`: no
 * export, so unequal), over `fresh` when it is a copy (gen -1) or else the world's memory.
 */
function attemptEquals(
  c: Ctx,
  v: HeldView,
  other: unknown,
  text: string,
  otherLayout: () => { layout: ModelLayout | undefined; gen: number } | 'never',
  fresh: Uint8Array | undefined,
  target: Target | undefined,
): void {
  const { w } = c;
  const l = v.layout;
  const releasedBefore = v.released;
  attempt(
    w,
    c.counts,
    'view.equals',
    `${v.name}.equals(${text});`,
    () => v.view.equals(other),
    () => {
      if (releasedBefore) return { ok: true, check: checkSame(other === v.view) };
      // A wrapper's user code released this view in the middle of the call.
      if (v.released) return { ok: true, errorOk: true };
      const o = otherLayout();
      if (o === 'never' || o.layout === undefined) return { ok: true, check: checkSame(false) };
      const lo = o.layout;
      if (!equivShape(l.shape, lo.shape)) return { ok: true, check: checkSame(false) };
      const mine = w.accessible(l, v.gen);
      const theirs = o.gen === -1 || w.accessible(lo, o.gen);
      if (!mine || !theirs) {
        // Memory gone: an error. An exporter other than a view may refuse the export
        // instead (unequal), and empty views read nothing (equal is as right).
        const refusable = !theirs && !(other instanceof MemoryView);
        const empty = span(l) === undefined;
        if (!refusable && !empty) return { ok: false };
        return {
          ok: true,
          errorOk: true,
          check: (got) =>
            (got === false && refusable) || (got === true && empty)
              ? undefined
              : `returned ${show(got)} over memory that is gone`,
        };
      }
      const fa = model(l.format);
      const fb = model(lo.format);
      const aa = addresses(l);
      const ab = addresses(lo);
      const memB = fresh ?? w.mem.model;
      let equal = true;
      for (let i = 0; i < aa.length && equal; i++) {
        equal = pyEq(itemOf(fa, w.mem.model, aa[i]), itemOf(fb, memB, ab[i]));
      }
      void target;
      return { ok: true, check: checkSame(equal) };
    },
  );
}

const OPS: [OpClass, number, (c: Ctx) => void][] = [
  ['view.make', 3, opMake],
  ['view.derive', 8, opDerive],
  ['view.get', 8, opGet],
  ['view.set', 6, opSet],
  ['view.read', 6, opRead],
  ['view.iterate', 3, opIterate],
  ['view.assign', 3, opAssign],
  ['view.release', 2, opRelease],
  ['struct.pack', 3, opPack],
  ['struct.packInto', 6, opPackInto],
  ['struct.unpack', 5, opUnpack],
  ['struct.iterUnpack', 3, opIterUnpack],
  ['mutate', 1, opMutate],
  ['bytearray', 3, opByteArray],
  ['reader', 5, opReader],
  ['writer', 3, opWriter],
  ['frames', 1, opFrames],
  ['view.field', 3, opField],
  ['view.typed', 2, opTypedArray],
  ['view.equals', 3, opEquals],
];

/** Runs one random operation of an enabled class. */
export function step(w: World, rng: Random, counts: Counts, enabled: ReadonlySet<OpClass>): void {
  const ops = OPS.filter(([k]) => enabled.has(k));
  const total = ops.reduce((s, o) => s + o[1], 0);
  let r = rng.next() * total;
  for (const [, weight, op] of ops) {
    r -= weight;
    if (r < 0) {
      op({ w, rng, counts, enabled });
      return;
    }
  }
}

/** Releases everything the case holds; then no export may be left (a failure otherwise). */
export function finish(w: World, counts: Counts): void {
  for (const r of w.readers) {
    if (!r.released) r.reader.release();
    r.released = true;
  }
  // Newest first: a view a reader handed out holds an export of the reader's source.
  for (const v of [...w.views].reverse()) {
    if (!v.released) {
      try {
        v.view.release();
      } catch (e) {
        fail(
          counts,
          'export left held',
          'view.release',
          `${v.name}.release() at the end raised ${String(e)}`,
        );
      }
    }
    v.released = true;
  }
  const ba = w.mem.byteArray;
  if (ba !== undefined) {
    if (ba.exports !== 0)
      fail(
        counts,
        'export left held',
        'view.release',
        `ba.exports is ${ba.exports} after every view and reader was released`,
      );
    else {
      try {
        ba.append(1);
        ba.pop();
      } catch (e) {
        fail(
          counts,
          'export left held',
          'view.release',
          `ba.append(1) after every release raised ${String(e)}`,
        );
      }
    }
  }
  for (const x of w.exporters) {
    if (x.taken !== x.given) {
      fail(
        counts,
        'export left held',
        'view.release',
        `${x.name}: ${x.taken} export(s) taken, ${x.given} given back`,
      );
    }
  }
  const out = w.mem.outstanding?.();
  if (out !== undefined && out !== 0) {
    fail(
      counts,
      'export left held',
      'view.release',
      `the exporter has ${out} export(s) not given back after every release`,
    );
  }
}

export type { HeldReader };
