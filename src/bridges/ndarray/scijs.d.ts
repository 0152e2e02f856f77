/**
 * The part of scijs `ndarray` (1.1.1, CommonJS, no types of its own) that memview/ndarray
 * and the peers benchmark call.
 */
declare module 'ndarray' {
  interface NdArray {
    readonly data: ArrayLike<unknown>;
    readonly shape: number[];
    readonly stride: number[];
    readonly offset: number;
    readonly dtype: string;
    get(...indices: number[]): number;
    set(...indicesAndValue: number[]): number;
    hi(...ends: number[]): NdArray;
    lo(...starts: number[]): NdArray;
    step(...steps: number[]): NdArray;
    transpose(...axes: number[]): NdArray;
  }

  function ndarray(
    data: ArrayLike<unknown>,
    shape?: readonly number[],
    stride?: readonly number[],
    offset?: number,
  ): NdArray;

  export = ndarray;
}
