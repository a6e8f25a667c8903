// Lint rules, including the import boundaries of docs/design.md §1 and §4: each folder may import only what its runtime allows.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'http', 'https', 'net', 'crypto', 'child_process', 'url', 'stream', 'events'];

const CORE_BOUNDARY = [
  { group: ['electron', 'electron/*'], message: 'main/core runs in plain Node: no Electron (docs/design.md §1).' },
  {
    group: ['**/shell/**', '**/cli/**', '**/preload/**', '**/renderer/**', 'react', 'react-dom'],
    message: 'main/core may not reach into the shell, CLI, preload or UI.',
  },
];

/** One `no-restricted-imports` rule per area; the architecture test enforces the same table by walking the imports. */
function boundary(files, patterns) {
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.toolchain/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  { files: ['main/**/*.{ts,js}', 'test/**/*.ts', '*.{js,ts}', 'scripts/**/*.{js,ts}'], languageOptions: { globals: globals.node } },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  { files: ['test/**/*.ts', 'scripts/**'], rules: { 'no-console': 'off' } },

  boundary(
    ['shared/**'],
    [
      { group: nodeBuiltins, message: 'shared/ runs anywhere: no Node built-ins.' },
      { group: ['electron', 'react', 'react-dom'], message: 'shared/ runs anywhere: no Electron, no UI.' },
      { group: ['**/main/**', '**/renderer/**', '**/test/**'], message: 'shared/ imports nothing of ours outside shared/.' },
    ],
  ),
  boundary(['main/core/**'], CORE_BOUNDARY),
  // Flat config replaces a rule per file rather than merging it, so the gateway's rule repeats the core's.
  boundary(
    ['main/core/gateway/**'],
    [
      ...CORE_BOUNDARY,
      {
        group: ['**/upstream/**', '**/router/catalog-router.ts', '**/clients/**', '**/vault/**'],
        message:
          'The gateway reaches servers only through router/gateway-router.ts: never upstream code, the router class, the client registry or the keychain.',
      },
    ],
  ),
  boundary(
    ['main/shell/**'],
    [
      { group: ['**/renderer/**', '**/cli/**', '**/preload/**'], message: 'main/shell may not import the renderer, CLI or preload.' },
      { group: ['**/core/*/**', '!**/core/index.ts'], message: 'main/shell uses the core only through main/core/index.ts.' },
    ],
  ),
  boundary(
    ['main/cli/**'],
    [
      { group: ['electron', 'electron/*'], message: 'main/cli runs in plain Node: no Electron.' },
      { group: ['**/renderer/**', '**/shell/**', '**/preload/**'], message: 'main/cli may not import the renderer, shell or preload.' },
      { group: ['**/core/*/**', '!**/core/index.ts'], message: 'main/cli uses the core only through main/core/index.ts.' },
    ],
  ),
  boundary(
    ['main/preload/**'],
    [
      { group: nodeBuiltins, message: 'The sandboxed preload has no Node built-ins.' },
      { group: ['**/core/**', '**/shell/**', '**/cli/**', '**/renderer/**'], message: 'The preload sees only the contract in shared/.' },
    ],
  ),
  boundary(
    ['renderer/**'],
    [
      { group: nodeBuiltins, message: 'renderer/ is a web page: no Node built-ins.' },
      { group: ['electron', 'electron/*'], message: 'renderer/ talks to the core only through the contract in shared/.' },
      { group: ['**/main/**'], message: 'renderer/ may not import main/.' },
    ],
  ),
);
