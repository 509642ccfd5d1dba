// The two plugins @segment/analytics-next itself needs under Rollup (it
// imports packages from node_modules, some of them CommonJS). Nothing for
// Convertro: main.js imports the /inline entry.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve({ browser: true }), commonjs()],
};
