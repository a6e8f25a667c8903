// docs/design.md §2 as data plus a checker: which area each file is in, and which imports each area may make.
import { builtinModules } from 'node:module';
import { dirname, posix, relative, resolve } from 'node:path';
import ts from 'typescript';

export type Area = 'shared' | 'core' | 'shell' | 'preload' | 'cli' | 'renderer';

export const AREA_ROOTS: Record<Area, string> = {
  shared: 'shared',
  core: 'main/core',
  shell: 'main/shell',
  preload: 'main/preload',
  cli: 'main/cli',
  renderer: 'renderer',
};

interface AreaRule {
  /** Project files this area may import, as repository-relative path prefixes (a path ending in .ts is an exact file). */
  mayImportFiles: string[];
  nodeBuiltins: boolean;
  electron: boolean;
  /** npm packages this area may not import, beyond Electron. */
  forbiddenPackages: string[];
}

export const AREA_RULES: Record<Area, AreaRule> = {
  shared: { mayImportFiles: ['shared/'], nodeBuiltins: false, electron: false, forbiddenPackages: ['react', 'react-dom'] },
  core: { mayImportFiles: ['main/core/', 'shared/'], nodeBuiltins: true, electron: false, forbiddenPackages: ['react', 'react-dom'] },
  shell: { mayImportFiles: ['main/shell/', 'main/core/index.ts', 'shared/'], nodeBuiltins: true, electron: true, forbiddenPackages: ['react', 'react-dom'] },
  preload: { mayImportFiles: ['main/preload/', 'shared/contract/channels.ts'], nodeBuiltins: false, electron: true, forbiddenPackages: [] },
  cli: { mayImportFiles: ['main/cli/', 'main/core/index.ts', 'shared/'], nodeBuiltins: true, electron: false, forbiddenPackages: ['react', 'react-dom'] },
  renderer: { mayImportFiles: ['renderer/', 'shared/'], nodeBuiltins: false, electron: false, forbiddenPackages: [] },
};

export interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

export function areaOf(repoRelativeFile: string): Area | undefined {
  const entries = Object.entries(AREA_ROOTS) as [Area, string][];
  // Longest root first, so main/core wins over a hypothetical main/.
  entries.sort((a, b) => b[1].length - a[1].length);
  return entries.find(([, root]) => repoRelativeFile.startsWith(`${root}/`))?.[0];
}

/** Every import, re-export, dynamic import and require of a source text, as written. */
export function importSpecifiers(fileName: string, sourceText: string): string[] {
  const info = ts.preProcessFile(sourceText, true, true);
  return info.importedFiles.map((file) => file.fileName);
}

const BUILTINS = new Set(builtinModules);

export function checkImports(repoRoot: string, repoRelativeFile: string, sourceText: string): Violation[] {
  const area = areaOf(repoRelativeFile);
  if (!area) return [];
  const rule = AREA_RULES[area];
  const violations: Violation[] = [];
  for (const specifier of importSpecifiers(repoRelativeFile, sourceText)) {
    const violation = judge(repoRoot, repoRelativeFile, area, rule, specifier);
    if (violation) violations.push({ file: repoRelativeFile, specifier, reason: violation });
  }
  return violations;
}

/** The repository-relative, forward-slash path a relative specifier written in `file` points at. */
export function importTarget(repoRoot: string, file: string, specifier: string): string {
  return relative(repoRoot, resolve(repoRoot, dirname(file), specifier))
    .split('\\')
    .join(posix.sep);
}

function judge(repoRoot: string, file: string, area: Area, rule: AreaRule, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = importTarget(repoRoot, file, specifier);
    const allowed = rule.mayImportFiles.some((prefix) => (prefix.endsWith('.ts') ? target === prefix : target.startsWith(prefix)));
    return allowed ? undefined : `${area} may import only ${rule.mayImportFiles.join(', ')}; this reaches ${target}`;
  }
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0] ?? '')) {
    return rule.nodeBuiltins ? undefined : `${area} may not import Node built-ins`;
  }
  const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (packageName === 'electron') return rule.electron ? undefined : `${area} may not import electron`;
  if (rule.forbiddenPackages.includes(packageName ?? '')) return `${area} may not import ${packageName}`;
  return undefined;
}
