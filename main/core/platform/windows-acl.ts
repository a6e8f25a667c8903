// Windows has no mode bits: a folder is made private by an ACL that grants the current user alone, set with icacls.
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { win32 } from 'node:path';

/** Runs a program with arguments (no shell) and resolves when it exits with 0; injected by tests, which cannot run icacls. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<void>;

export const runCommand: CommandRunner = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { windowsHide: true, timeout: 30_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${String(stderr).trim() || error.message}`));
      else resolve();
    });
  });

/** The account as icacls names it: DOMAIN\user when Windows says which domain, else the bare user name. */
export function currentWindowsAccount(env: NodeJS.ProcessEnv = process.env): string {
  const user = env.USERNAME || userInfo().username;
  return env.USERDOMAIN ? `${env.USERDOMAIN}\\${user}` : user;
}

/** icacls from System32 by full path: a program named icacls earlier on PATH must not be the one that runs. */
export function icaclsPath(env: NodeJS.ProcessEnv = process.env): string {
  return win32.join(env.SystemRoot || 'C:\\Windows', 'System32', 'icacls.exe');
}

/**
 * The arguments that leave `folder` with one entry: full control for `account`, inherited by every file (OI) and
 * folder (CI) inside. `/inheritance:r` drops what the folder inherited from above (its parent may let others read);
 * `/grant:r` replaces, rather than adds to, any entry the account already had.
 */
export function ownerOnlyAclArguments(folder: string, account: string): string[] {
  return [folder, '/inheritance:r', '/grant:r', `${account}:(OI)(CI)F`];
}

export async function restrictFolderToCurrentUser(folder: string, options: { run?: CommandRunner; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const env = options.env ?? process.env;
  await (options.run ?? runCommand)(icaclsPath(env), ownerOnlyAclArguments(folder, currentWindowsAccount(env)));
}
