// Pins the layering of docs/design.md §2 and the core's inner rules: walks every source file's imports and fails on one its area or folder forbids, or on a cycle.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCoreFolderImports, isKnownException, KNOWN_EXCEPTIONS } from './architecture/core-folder-rules.ts';
import { findImportCycles } from './architecture/import-cycles.ts';
import { AREA_ROOTS, areaOf, checkImports, importSpecifiers, importTarget } from './architecture/import-rules.ts';

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

describe('architecture: inside main/core', () => {
  const coreFiles = sourceFiles(AREA_ROOTS.core);
  const source = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
  const relativeImports = (file: string) =>
    importSpecifiers(file, source(file))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => importTarget(repoRoot, file, specifier));

  it('no folder imports one its rule forbids (gateway ↛ upstream, clients, vault; config ↛ discovery; audit ↛ auth)', () => {
    const violations = coreFiles.flatMap((file) => checkCoreFolderImports(repoRoot, file, source(file)));
    expect(violations).toEqual([]);
  });

  it('no import cycle among core files, type-only imports included', () => {
    const graph = new Map(coreFiles.map((file) => [file, relativeImports(file).filter((target) => !isKnownException(file, target))]));
    expect(findImportCycles(graph)).toEqual([]);
  });

  it('every known exception is still a real import (a fixed one must leave the list)', () => {
    for (const exception of KNOWN_EXCEPTIONS) expect(relativeImports(exception.file), `${exception.file} → ${exception.target}`).toContain(exception.target);
  });

  it('catches each forbidden folder edge, with a message that names both folders and says why', () => {
    const cases: [string, string, string][] = [
      ['main/core/gateway/x.ts', "import type { UpstreamConnection } from '../upstream/upstream-connection.ts';", 'core/gateway may not import core/upstream'],
      ['main/core/gateway/x.ts', "import { ClientRegistry } from '../clients/client-registry.ts';", 'core/gateway may not import core/clients'],
      ['main/core/gateway/deep/x.ts', "export { Vault } from '../../vault/vault.ts';", 'core/gateway may not import core/vault'],
      ['main/core/config/x.ts', "import { policyRefusal } from '../discovery/company-policy.ts';", 'core/config may not import core/discovery'],
      ['main/core/audit/x.ts', "const auth = await import('../auth/server-authorizer.ts');", 'core/audit may not import core/auth'],
    ];
    for (const [file, text, reason] of cases) {
      expect(checkCoreFolderImports(repoRoot, file, text), `${file}: ${text}`).toEqual([expect.objectContaining({ reason: expect.stringContaining(reason) })]);
    }
  });

  it('allows what the rules leave open', () => {
    const cases: [string, string][] = [
      ['main/core/gateway/x.ts', "import type { GatewayRouter } from '../router/gateway-router.ts'; import type { Logger } from '../ports.ts';"],
      ['main/core/discovery/x.ts', "import { companyPolicySchema } from '../config/company-policy-schema.ts';"],
      ['main/core/auth/x.ts', "import type { AuditTrail } from '../audit/audit-recorder.ts';"],
      ['main/core/switchboard.ts', "import { Vault } from './vault/vault.ts'; import { ServerAuthorizer } from './auth/server-authorizer.ts';"],
    ];
    for (const [file, text] of cases) expect(checkCoreFolderImports(repoRoot, file, text), `${file}: ${text}`).toEqual([]);
  });

  it('prints a cycle as the path that closes it, starting at its first file', () => {
    const graph = new Map([
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'outside.ts']],
      ['a.ts', ['b.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(findImportCycles(graph)).toEqual(['a.ts → b.ts → c.ts → a.ts', 'd.ts → d.ts']);
    expect(
      findImportCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });
});
