/**
 * The part of npm `python-struct` (1.1.3, CommonJS, no types of its own) the benchmarks call.
 * Integers of 8 bytes come back as `Long` objects; the formats benchmarked have none.
 */
declare module 'python-struct' {
  import type { Buffer } from 'node:buffer';

  type PythonStructValue = number | string | boolean | Buffer | { toNumber(): number };

  const PythonStruct: {
    sizeOf(format: string): number;
    unpack(format: string, data: Buffer, checkBounds?: boolean): PythonStructValue[];
    unpackFrom(
      format: string,
      data: Buffer,
      checkBounds: boolean,
      position: number,
    ): PythonStructValue[];
    pack(format: string, data: readonly PythonStructValue[], checkBounds?: boolean): Buffer;
  };

  export = PythonStruct;
}
