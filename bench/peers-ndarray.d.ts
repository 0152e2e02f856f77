/**
 * The part of scijs `ndarray` (1.1.1, CommonJS, no types of its own) the peers suite calls.
 */
declare module 'ndarray' {
  interface NdArray {
    readonly shape: number[];
    get(...indices: number[]): number;
    set(...indicesAndValue: number[]): number;
    hi(...ends: number[]): NdArray;
    lo(...starts: number[]): NdArray;
    step(...steps: number[]): NdArray;
  }

  function ndarray(
    data: ArrayLike<number>,
    shape?: readonly number[],
    stride?: readonly number[],
    offset?: number,
  ): NdArray;

  export = ndarray;
}
