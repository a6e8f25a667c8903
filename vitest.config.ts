// Test runner configuration: every suite runs in plain Node against real local components; only the few that serve the built UI wait for a build.
import { configDefaults, defineConfig } from 'vitest/config';

/** Suites that run `serve --ui` (or the demo, which does): they need out/renderer, which test/support/built-ui.ts builds when missing or stale. */
const SERVE_THE_BUILT_UI = [
  'test/integration/ui.test.ts',
  'test/integration/serve-stop.test.ts',
  'test/integration/running-sign-in.test.ts',
  'test/integration/demo.test.ts',
  'test/integration/first-run.test.ts',
  'test/integration/ui-first-run.test.ts',
  'test/integration/shell-stand-in.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Two projects rather than a build before the run: the rest start at once instead of waiting for a bundle they never
    // load. (`include` is set per project: a project's arrays are appended to the root's, not put in their place.)
    projects: [
      { extends: true, test: { name: 'source', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...SERVE_THE_BUILT_UI] } },
      { extends: true, test: { name: 'built-ui', include: SERVE_THE_BUILT_UI, setupFiles: ['test/support/built-ui.ts'] } },
    ],
  },
});
