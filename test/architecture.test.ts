// Pins the layering of DESIGN.md §2: walks every source file's imports and fails on one its area forbids.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AREA_ROOTS, areaOf, checkImports } from './architecture/import-rules.ts';

const repoRoot = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)));
}

describe('architecture: import boundaries', () => {
  const files = Object.values(AREA_ROOTS).flatMap((root) => sourceFiles(root));

  it('finds source files in every area that exists', () => {
    expect(files.some((file) => areaOf(file) === 'core')).toBe(true);
    expect(files.some((file) => areaOf(file) === 'cli')).toBe(true);
    expect(files.some((file) => areaOf(file) === 'shared')).toBe(true);
  });

  it('no file imports what its area forbids', () => {
    const violations = files.flatMap((file) => checkImports(repoRoot, file, readFileSync(join(repoRoot, file), 'utf8')));
    expect(violations).toEqual([]);
  });

  it('the core never imports electron, even through require or a dynamic import', () => {
    for (const text of ["import { app } from 'electron';", "const { app } = require('electron');", "await import('electron');"]) {
      expect(checkImports(repoRoot, 'main/core/x.ts', text)).toEqual([
        expect.objectContaining({ specifier: 'electron', reason: 'core may not import electron' }),
      ]);
    }
  });

  it('catches each forbidden edge of the table', () => {
    const cases: [string, string][] = [
      ['renderer/src/x.tsx', "import { readFile } from 'node:fs';"],
      ['renderer/src/x.tsx', "import '../../main/core/index.ts';"],
      ['shared/x.ts', "import { join } from 'path';"],
      ['shared/x.ts', "import '../main/core/index.ts';"],
      ['main/core/x.ts', "import '../shell/index.ts';"],
      ['main/shell/x.ts', "import '../core/gateway/local-endpoint.ts';"],
      ['main/cli/x.ts', "import '../core/errors.ts';"],
      ['main/preload/x.ts', "import '../../shared/result.ts';"],
      ['main/preload/x.ts', "import 'node:fs';"],
    ];
    for (const [file, text] of cases) expect(checkImports(repoRoot, file, text), `${file}: ${text}`).toHaveLength(1);
  });

  it('allows the doors the table opens', () => {
    const cases: [string, string][] = [
      ['main/shell/x.ts', "import { createSwitchboard } from '../core/index.ts'; import { app } from 'electron';"],
      ['main/cli/commands/x.ts', "import '../../core/index.ts';"],
      ['main/preload/x.ts', "import { CHANNELS } from '../../shared/contract/channels.ts'; import { contextBridge } from 'electron';"],
      ['renderer/src/x.tsx', "import '../../shared/result.ts'; import React from 'react';"],
    ];
    for (const [file, text] of cases) expect(checkImports(repoRoot, file, text), `${file}: ${text}`).toEqual([]);
  });
});
