// Running an AI client's own command-line tool (`claude mcp add-json`): finding it on PATH and running it without a shell; tests hand in a stand-in.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ClientCommands {
  /** The program's full path when it is on PATH, else undefined. */
  find(program: string): string | undefined;
  run(file: string, args: readonly string[]): Promise<CommandResult>;
}

/**
 * The real PATH and processes. On Windows only an .exe counts: an npm .cmd shim runs only through cmd.exe, whose
 * quoting would have to carry a JSON argument intact — the config file is edited instead.
 */
export function systemClientCommands(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ClientCommands {
  return {
    find(program) {
      const names = platform === 'win32' ? [`${program}.exe`] : [program];
      for (const folder of (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean)) {
        for (const name of names) {
          const candidate = join(folder, name);
          try {
            if (!statSync(candidate).isFile()) continue;
            if (platform !== 'win32') accessSync(candidate, constants.X_OK);
            return candidate;
          } catch {
            // Not here, or not executable: keep looking.
          }
        }
      }
      return undefined;
    },
    run: (file, args) =>
      new Promise((resolve) => {
        execFile(file, args, { windowsHide: true, timeout: 60_000, env }, (error, stdout, stderr) => {
          const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ exitCode, stdout: String(stdout), stderr: String(stderr) || (error && typeof error.code !== 'number' ? error.message : '') });
        });
      }),
  };
}
