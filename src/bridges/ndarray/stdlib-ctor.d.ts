/**
 * `@stdlib/ndarray` has no `exports` map, so ES modules reach its constructor by file
 * (`ctor/lib/index.js`); its types are the package's own, published for `ctor`.
 */
declare module '@stdlib/ndarray/ctor/lib/index.js' {
  import ctor from '@stdlib/ndarray/ctor';
  export default ctor;
}
