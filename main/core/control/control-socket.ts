// The local control channel for the CLI (`status`, the stdio bridge): HTTP over a Unix socket or named pipe only its owner can open.
import { createHash } from 'node:crypto';
import { chmod, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { join } from 'node:path';
import { SwitchboardError } from '../errors.ts';

/**
 * A socket in the 0700 data folder needs no token: the file system decides who may connect. On Windows a named pipe
 * derived from the data folder plays the same role.
 */
export function controlSocketPath(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return `\\\\.\\pipe\\switchboard-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  return join(dataDir, 'control.sock');
}

export interface ControlRoutes {
  status: () => unknown;
}

export async function startControlSocket(dataDir: string, routes: ControlRoutes): Promise<{ close(): Promise<void> }> {
  const path = controlSocketPath(dataDir);
  if (process.platform !== 'win32') {
    if (await isAnswering(path)) {
      throw new SwitchboardError('GATEWAY_BIND_FAILED', `another Switchboard is already running with the data folder ${dataDir}; stop it first or use another --data-dir`);
    }
    await rm(path, { force: true }); // a stale socket from a process that died
  }
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/status') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(routes.status()));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  if (process.platform !== 'win32') await chmod(path, 0o600);
  return {
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Asks the running Switchboard (if any) for its status; NOT_RUNNING when nobody answers on the socket. */
export function readControlStatus<T>(dataDir: string, timeoutMs = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ socketPath: controlSocketPath(dataDir), path: '/status', method: 'GET', timeout: timeoutMs }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        try {
          resolve(JSON.parse(body) as T);
        } catch (error) {
          reject(new SwitchboardError('INTERNAL', 'the running Switchboard sent an unreadable status', { cause: error }));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) =>
      reject(new SwitchboardError('GATEWAY_NOT_RUNNING', `no Switchboard is running with the data folder ${dataDir}; start it with \`switchboard serve\` or the app`, { cause: error })),
    );
    request.end();
  });
}

async function isAnswering(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = httpRequest({ socketPath: path, path: '/status', method: 'GET', timeout: 1000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
    request.end();
  });
}
