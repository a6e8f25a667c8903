// Shell completion generated from the commander program, exercised in real bash, zsh and fish (where installed).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandTree, completionScript, registerCompletionCommand } from '../../main/cli/completion.ts';

const installed = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

/** A small program shaped like the real one: nested commands, value options, a flag. */
function program(): Command {
  const root = new Command('switchboard').version('1.0.0');
  root.command('serve').description('Run it. Headless.').option('-c, --config <file>', 'file').option('--ui', 'ui');
  const servers = root.command('servers').description('The servers.');
  servers.command('add <url>').description('Add one.').option('--id <id>', 'id');
  servers.command('list').description('List them.').option('--json', 'json');
  root.command('status').description('Status.');
  registerCompletionCommand(root);
  return root;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-completion-'));
  for (const shell of ['bash', 'zsh', 'fish'] as const) await writeFile(join(dir, shell), completionScript(program(), shell));
});

describe('switchboard completion', () => {
  it('reads commands, value options and flags from the program', () => {
    const tree = commandTree(program());
    expect(tree.find((node) => node.path === '')).toMatchObject({
      subcommands: expect.arrayContaining([expect.objectContaining({ name: 'servers' }), expect.objectContaining({ name: 'completion' })]),
      options: expect.arrayContaining(['--version', '--help']),
    });
    expect(tree.find((node) => node.path === 'serve')).toMatchObject({ options: ['--config', '-c', '--ui', '--help'], valueOptions: ['--config', '-c'] });
    expect(tree.find((node) => node.path === 'servers add')).toMatchObject({ options: ['--id', '--help'], valueOptions: ['--id'] });
  });

  it("is the real program's: every command of `switchboard` appears in its bash script", () => {
    const script = execFileSync(process.execPath, [join(import.meta.dirname, '../../main/cli/bin.js'), 'completion', 'bash'], { encoding: 'utf8' });
    for (const command of ['serve', 'clients', 'status', 'stdio', 'login', 'audit', 'discover', 'registry', 'servers', 'completion'])
      expect(script).toContain(`'${command}`);
    expect(script).toContain('complete -o default -F _switchboard switchboard');
  });

  it.runIf(installed('bash'))('bash: subcommands by prefix, nested commands, options, and files after a value option', () => {
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source "$1"; COMP_WORDS=("\${@:2}"); COMP_CWORD=$(($# - 2)); _switchboard; printf '%s\\n' "\${COMPREPLY[@]}"`,
          'complete',
          join(dir, 'bash'),
          'switchboard',
          ...words,
        ],
        { encoding: 'utf8', cwd: dir },
      )
        .trim()
        .split('\n');
    expect(complete('ser')).toEqual(['serve', 'servers']);
    expect(complete('servers', '')).toEqual(['add', 'list']);
    expect(complete('servers', 'list', '--')).toEqual(['--json', '--help']);
    expect(complete('serve', '--config', 'ba')).toEqual(['bash']);
    // After a value option and its value, commands and options are offered again.
    expect(complete('serve', '-c', 'x', '--u')).toEqual(['--ui']);
  });

  it.runIf(installed('zsh'))('zsh: the same walk, handing candidates to compadd and files to _files', () => {
    const complete = (...words: string[]) =>
      execFileSync(
        'zsh',
        [
          '-c',
          `compdef() { :; }; compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }; _files() { print -r -- FILES; }; source "$1"; shift; words=("$@"); CURRENT=$#; _switchboard`,
          'complete',
          join(dir, 'zsh'),
          'switchboard',
          ...words,
        ],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n');
    expect(complete('servers', '')).toEqual(['add', 'list']);
    expect(complete('serve', '--')).toEqual(['--config', '-c', '--ui', '--help']);
    expect(complete('serve', '--config', '')).toEqual(['FILES']);
  });

  it.runIf(installed('fish'))('fish: complete -C gives subcommands with descriptions, options, and paths', () => {
    const complete = (line: string) =>
      execFileSync('fish', ['-c', `source $argv[1]; complete -C"${line}"`, join(dir, 'fish')], { encoding: 'utf8', cwd: dir })
        .trim()
        .split('\n');
    expect(complete('switchboard ser')).toEqual(['serve\tRun it', 'servers\tThe servers']);
    expect(complete('switchboard servers a')).toEqual(['add\tAdd one']);
    expect(complete('switchboard serve --c')).toEqual(['--config']);
    expect(complete('switchboard serve --config ba')).toEqual(['bash']);
  });
});
