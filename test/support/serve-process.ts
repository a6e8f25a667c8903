// Runs `switchboard serve` as a child process (the real CLI entry) and waits for its ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const CLI_ENTRY = join(import.meta.dirname, '../../main/cli/bin.js');

export interface ReadyLine {
  event: 'ready';
  mcpUrl: string;
  pid: number;
  dataDir: string;
  servers: string[];
  uiUrl?: string;
}

export interface ServeProcess {
  child: ChildProcess;
  ready: ReadyLine;
  stdoutLines: string[];
  stderr: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnOptions {
  /** Called with the child the moment it exists, so a supervisor (the demo) can stop it even while it starts up. */
  onSpawn?: (child: ChildProcess) => void;
  /**
   * Its own process group: a Ctrl-C at the terminal then reaches only the supervisor, which passes it on once.
   * Without it the child would get the terminal's SIGINT and the forwarded one, and take the second as "force".
   */
  detached?: boolean;
}

export async function startServe(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } & SpawnOptions = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_ENTRY, 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: Boolean(options.detached),
    ...(options.env ? { env: options.env } : {}),
  });
  options.onSpawn?.(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stdoutLines: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit');

  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve was not ready within ${options.timeoutMs ?? 15_000} ms; stderr:\n${stderr}`)),
      options.timeoutMs ?? 15_000,
    );
    lines.on('line', (line) => {
      stdoutLines.push(line);
      if (stdoutLines.length === 1) {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line) as ReadyLine);
        } catch (error) {
          reject(new Error(`first stdout line is not JSON: ${line} (${(error as Error).message})`));
        }
      }
    });
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${String(code)} before it was ready; stderr:\n${stderr}`));
    });
  });

  return {
    child,
    ready,
    stdoutLines,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** Runs the CLI to completion (for commands that exit by themselves) and returns what it printed. */
export async function runCli(args: string[], input?: string, options: SpawnOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: Boolean(options.detached),
  });
  options.onSpawn?.(child);
  if (input !== undefined) child.stdin!.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
