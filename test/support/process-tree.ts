// The processes under a pid, read from /proc (Linux): to prove that something stopped left nothing running behind.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  session: number;
  state: string;
  /** The command line (or, for a process that has none any more, its name). */
  command: string;
}

function readProcess(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces or parentheses itself; the fields follow the last ")".
    const close = stat.lastIndexOf(')');
    const [state, ppid, , session] = stat.slice(close + 2).split(' ');
    // The full command line where it can be read (the name in stat is cut to 15 characters), else that name.
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return { pid, ppid: Number(ppid), session: Number(session), state: state!, command: commandLine || stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    return undefined;
  }
}

/**
 * `root` and everything started under it: its descendants, and the members of any session one of them leads, which
 * finds daemons that re-parented themselves away (gnome-keyring-daemon leaves its parent but keeps its session).
 */
export function processTree(root: number): ProcessEntry[] {
  const processes = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((entry): entry is ProcessEntry => entry !== undefined);
  const found = new Map<number, ProcessEntry>();
  for (const entry of processes) if (entry.pid === root) found.set(root, entry);
  for (let grew = true; grew;) {
    grew = false;
    for (const entry of processes) {
      if (!found.has(entry.pid) && (found.has(entry.ppid) || (entry.session !== 0 && found.has(entry.session)))) {
        found.set(entry.pid, entry);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

/** Which of these pids still run. A zombie has exited (only its parent has not collected its status yet), so it does not count. */
export function stillRunning(pids: readonly number[]): ProcessEntry[] {
  return pids.map((pid) => readProcess(pid)).filter((entry): entry is ProcessEntry => entry !== undefined && entry.state !== 'Z');
}

/** The environment a process was started with (to find the folders it was given). */
export function environmentOf(pid: number): Record<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}
