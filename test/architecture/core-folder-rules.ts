// The core's inner layering as data plus a checker: which folders of main/core (docs/design.md §3) may not import which.
import { importSpecifiers, importTarget, type Violation } from './import-rules.ts';

const CORE_ROOT = 'main/core/';

interface CoreFolderRule {
  /** A folder directly under main/core. */
  folder: string;
  mayNotImport: string[];
  /** Why, in words that tell whoever breaks the rule where the import belongs instead. */
  because: string;
}

export const CORE_FOLDER_RULES: CoreFolderRule[] = [
  {
    folder: 'gateway',
    mayNotImport: ['upstream', 'clients', 'vault'],
    because: 'the gateway reaches servers, clients and secrets only through router/gateway-router.ts and ports.ts; move the type it needs there',
  },
  {
    folder: 'config',
    mayNotImport: ['discovery'],
    because: 'config is the layer discovery builds on: discovery may import config, never the reverse; move what config needs into config/',
  },
  {
    folder: 'audit',
    mayNotImport: ['auth'],
    because: 'the audit trail stores what auth reports as plain records handed to it; it does not depend on auth code',
  },
];

/**
 * Imports that break a rule above (or close a cycle) but are not fixed yet: the debt, one line each, with who has to
 * change what. Remove an entry when its import goes; an entry whose import no longer exists fails the test.
 */
export const KNOWN_EXCEPTIONS: { file: string; target: string; why: string }[] = [];

/** The folder of main/core a repository-relative path is in, or undefined outside main/core and for its top-level files. */
export function coreFolderOf(repoRelativeFile: string): string | undefined {
  if (!repoRelativeFile.startsWith(CORE_ROOT)) return undefined;
  const rest = repoRelativeFile.slice(CORE_ROOT.length).split('/');
  return rest.length > 1 ? rest[0] : undefined;
}

export function isKnownException(file: string, target: string): boolean {
  return KNOWN_EXCEPTIONS.some((exception) => exception.file === file && exception.target === target);
}

export function checkCoreFolderImports(repoRoot: string, repoRelativeFile: string, sourceText: string): Violation[] {
  const folder = coreFolderOf(repoRelativeFile);
  const rule = CORE_FOLDER_RULES.find((candidate) => candidate.folder === folder);
  if (!rule) return [];
  const violations: Violation[] = [];
  for (const specifier of importSpecifiers(repoRelativeFile, sourceText)) {
    if (!specifier.startsWith('.')) continue;
    const target = importTarget(repoRoot, repoRelativeFile, specifier);
    const targetFolder = coreFolderOf(target);
    if (!targetFolder || !rule.mayNotImport.includes(targetFolder) || isKnownException(repoRelativeFile, target)) continue;
    violations.push({ file: repoRelativeFile, specifier, reason: `core/${rule.folder} may not import core/${targetFolder} (${target}): ${rule.because}` });
  }
  return violations;
}
