/**
 * A short tour of memview on built-in data: what `npm start` runs. Every figure printed
 * comes from real memview calls; nothing is canned.
 */

import { calcsize, iterUnpack, pack, Struct, unpack, unpackFrom } from '../src/index.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const show = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(show).join(', ')}]`
    : value instanceof Uint8Array
      ? `b'${[...value].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('')}'`
      : typeof value === 'bigint'
        ? `${value}n`
        : String(value);

console.log('memview tour: struct, exactly as CPython 3.13\n');

console.log('1. Sizes and alignment of the host C ABI');
for (const f of ['@hhl', '=hhl', 'ci', 'ic', 'llh0l', '<e', '>Qd']) {
  console.log(`   calcsize(${JSON.stringify(f)}) = ${calcsize(f)}`);
}

console.log('\n2. pack and unpack');
const packed = pack(
  '>IhQ3sp?e',
  0xdeadbeef,
  -2,
  2n ** 64n - 1n,
  new Uint8Array([104, 105]),
  new Uint8Array(),
  true,
  0.1,
);
console.log(`   pack('>IhQ3sp?e', …) = ${hex(packed)}`);
console.log(`   unpack → ${show(unpack('>IhQ3sp?e', packed))}`);

console.log("\n3. Errors carry CPython's class and text");
for (const attempt of [
  () => pack('b', 200),
  () => pack('<e', 65520),
  () => unpack('<i', new Uint8Array(3)),
  () => calcsize('99999999999999999999i'),
]) {
  try {
    attempt();
  } catch (error) {
    const e = error as Error;
    console.log(`   ${e.name}: ${e.message}`);
  }
}

console.log('\n4. A record stream: 100,000 records of <IHHd, read in place');
const record = new Struct('<IHHd');
const stream = new Uint8Array(record.size * 100_000);
for (let i = 0; i < 100_000; i++) record.packInto(stream, i * record.size, i, i & 0xffff, 7, i / 4);
let sum = 0;
let t = performance.now();
for (let offset = 0; offset < stream.length; offset += record.size) {
  sum += record.unpackFrom(stream, offset)[3];
}
t = performance.now() - t;
console.log(
  `   unpackFrom loop: sum of field 3 = ${sum}, ${(100_000 / t / 1000).toFixed(1)} M records/s`,
);
let count = 0;
for (const [id] of iterUnpack('<IHHd', stream)) count += id === count ? 1 : 0;
console.log(`   iterUnpack: ${count} records, ids in order`);
console.log(`   last record: ${show(unpackFrom('<IHHd', stream, -16))}`);
