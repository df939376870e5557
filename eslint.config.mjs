// Guard rails, not style: what keeps the engine typed, promises handled, imports acyclic and the
// client on its side of the process boundary (docs/architecture.md). Run by `npm test`.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const SOURCES = ['server/src/**/*.ts', 'shared/src/**/*.ts', 'buildkit/src/**/*.ts', 'client/src/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', 'examples/**', '.cache/**', 'test-results/**'] },
  {
    files: SOURCES,
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } }, 'import-x/extensions': ['.ts'] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Tests and benchmarks: a promise left floating is an assertion that can never fail, or a
    // measurement that ends before its work does.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // node:test's it() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['it', 'test', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // Engine code: a value of unknown shape is `unknown` and narrowed, never `any`.
    files: ['server/src/**/*.ts', 'shared/src/**/*.ts', 'buildkit/src/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // The extension host never loads the engine or the language server's code.
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/src/**', '**/server/src'], message: 'The client talks to the server over LSP (shared/src/protocol.ts), it never imports its code.' }] }],
    },
  },
);
