/** Helpers shared by the ndarray bridges' tests. */

/** Every element of an N-D array, in C order, through its own `get`. */
export function elements(shape: readonly number[], get: (...i: number[]) => unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (prefix: number[]) => {
    if (prefix.length === shape.length) {
      out.push(get(...prefix));
      return;
    }
    for (let i = 0; i < shape[prefix.length]; i++) walk([...prefix, i]);
  };
  walk([]);
  return out;
}

/** `n` doubles k + 0.5. */
export const iota = (n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, k) => k + 0.5);
