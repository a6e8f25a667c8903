// Child processes that announce themselves with one JSON line on stdout (fixtures, benchmarks), and their resident memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

export interface Announced<T> {
  child: ChildProcess;
  info: T;
  stop(): Promise<void>;
}

/** Starts `node <args>` and waits for its first stdout line, parsed as JSON. */
export async function spawnAnnounced<T>(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Announced<T>> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start:\n${stderr}`)), 30_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as T);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${stderr}`)));
  });
  return {
    child,
    info,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** Resident memory of a process and all its descendants, in MiB (Linux /proc). */
export async function treeRssMiB(pid: number): Promise<number> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const own = await readFile(`/proc/${pid}/status`, 'utf8').then(
    (status) => Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024,
    () => 0,
  );
  let total = own;
  for (const child of children.trim().split(/\s+/).filter(Boolean)) total += await treeRssMiB(Number(child));
  return total;
}
