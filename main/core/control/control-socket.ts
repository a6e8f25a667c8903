// The local control channel for the CLI (`status`, sign-in and sign-out, the stdio bridge): HTTP over a Unix socket or named pipe only its owner can open.
import { createHash } from 'node:crypto';
import { chmod, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { describeSignInTarget, waitForSignInOutcome, type SignInState } from '../app/sign-in-outcome.ts';
import { SERVER_ID_PATTERN } from '../config/config-schema.ts';
import { SwitchboardError, toSwitchboardError } from '../errors.ts';

/**
 * A socket in the 0700 data folder needs no token: the file system decides who may connect. On Windows a named pipe
 * derived from the data folder plays the same role.
 */
export function controlSocketPath(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return `\\\\.\\pipe\\switchboard-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  return join(dataDir, 'control.sock');
}

/** What `POST /auth/sign-in` answers: the sign-in started (or joined) in the running Switchboard, never waiting for the person. */
export interface ControlSignInStart {
  state: 'signed-in' | 'not-required' | 'waiting';
  authorizationUrl?: string;
  expiresAt?: string;
}

/** What `POST /auth/sign-in/wait` answers once the sign-in ends (or the caller's deadline passes). */
export type ControlSignInOutcome = { ok: true; status: unknown } | { ok: false; error: { code: string; message: string } };

/** The sign-in operations the socket serves; `SwitchboardAuth` has this shape. Without a server id each means the SSO session. */
export interface ControlAuth {
  status(): Promise<SignInState>;
  beginSignIn(serverId?: string): Promise<ControlSignInStart>;
  awaitSignIn(serverId?: string, signal?: AbortSignal): Promise<void>;
  cancelSignIn(serverId?: string): boolean;
  signOut(serverId?: string): Promise<void>;
}

export interface ControlRoutes {
  status: () => unknown;
  auth: ControlAuth;
}

/** Bodies are a server id and a number at most: anything bigger is not from our CLI. */
const MAX_BODY_BYTES = 4096;
/** The longest a caller may keep a wait open; a sign-in has its own, shorter deadline anyway. */
const MAX_WAIT_MS = 3_600_000;
const DEFAULT_WAIT_MS = 600_000;

const targetSchema = z.object({ server: z.string().regex(SERVER_ID_PATTERN, 'must be a server id').optional() }).strict();
const waitSchema = targetSchema.extend({ waitMs: z.number().int().min(1).max(MAX_WAIT_MS).optional() }).strict();

const POST_ROUTES = new Set(['/auth/sign-in', '/auth/sign-in/wait', '/auth/sign-in/cancel', '/auth/sign-out']);
const GET_ROUTES = new Set(['/status', '/auth/status']);

export async function startControlSocket(dataDir: string, routes: ControlRoutes): Promise<{ close(): Promise<void> }> {
  const path = controlSocketPath(dataDir);
  if (process.platform !== 'win32') {
    if (await isAnswering(path)) {
      throw new SwitchboardError(
        'GATEWAY_BIND_FAILED',
        `another Switchboard is already running with the data folder ${dataDir}; stop it first or use another --data-dir`,
      );
    }
    await rm(path, { force: true }); // a stale socket from a process that died
  }
  const server: Server = createServer((request, response) => {
    void handle(request, response, routes).catch((error: unknown) => {
      const failure = toSwitchboardError(error, 'INTERNAL', 'the control request failed');
      if (response.headersSent) return void response.destroy();
      sendJson(response, failure.code === 'CONFIG_INVALID' ? 400 : 500, failure.toJSON());
    });
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

async function handle(request: IncomingMessage, response: ServerResponse, routes: ControlRoutes): Promise<void> {
  const path = request.url ?? '/';
  const expected = GET_ROUTES.has(path) ? 'GET' : POST_ROUTES.has(path) ? 'POST' : undefined;
  if (!expected)
    return sendJson(response, 404, {
      code: 'CONFIG_INVALID',
      message: `the control socket has no ${path}; is the CLI newer than the running Switchboard? Restart it`,
    });
  if (request.method !== expected) return sendJson(response, 405, { code: 'CONFIG_INVALID', message: `${path} takes ${expected}` });
  if (path === '/status') return sendJson(response, 200, routes.status());
  if (path === '/auth/status') return sendJson(response, 200, await routes.auth.status());

  const body = await readJsonBody(request);
  if (!body.ok) return sendJson(response, body.status, { code: 'CONFIG_INVALID', message: `${path}: ${body.message}` });
  const parsed = (path === '/auth/sign-in/wait' ? waitSchema : targetSchema).safeParse(body.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return sendJson(response, 400, {
      code: 'CONFIG_INVALID',
      message: `${path}: the request is invalid${issue.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue.message}`,
    });
  }
  const { server } = parsed.data;
  const { auth } = routes;
  switch (path) {
    case '/auth/sign-in': {
      const { state, authorizationUrl, expiresAt } = await auth.beginSignIn(server);
      return sendJson(response, 200, { state, ...(authorizationUrl ? { authorizationUrl } : {}), ...(expiresAt ? { expiresAt } : {}) });
    }
    case '/auth/sign-in/wait':
      return sendJson(response, 200, await waitForSignIn(auth, server, (parsed.data as z.infer<typeof waitSchema>).waitMs ?? DEFAULT_WAIT_MS, response));
    case '/auth/sign-in/cancel':
      return sendJson(response, 200, { cancelled: auth.cancelSignIn(server) });
    default:
      await auth.signOut(server);
      return sendJson(response, 200, { signedOut: server ?? 'all' });
  }
}

/** The long poll: answers when the sign-in ends or the caller's deadline passes; a caller that goes away stops only its own wait. */
async function waitForSignIn(auth: ControlAuth, server: string | undefined, waitMs: number, response: ServerResponse): Promise<ControlSignInOutcome> {
  const controller = new AbortController();
  const deadline = setTimeout(
    () =>
      controller.abort(
        new SwitchboardError(
          'AUTH_CALLBACK_FAILED',
          `the sign-in to ${describeSignInTarget(server)} had not finished after ${Math.round(waitMs / 1000)} s; start it again`,
        ),
      ),
    waitMs,
  );
  deadline.unref();
  // The CLI was stopped (Ctrl-C, killed): the sign-in itself goes on until it is cancelled or reaches its own deadline.
  response.once('close', () => controller.abort(new SwitchboardError('AUTH_CALLBACK_FAILED', 'the caller stopped waiting')));
  try {
    const ended = await waitForSignInOutcome(auth, server, controller.signal);
    return ended.outcome === 'signed-in' ? { ok: true, status: ended.status } : { ok: false, error: ended.error.toJSON() };
  } finally {
    clearTimeout(deadline);
  }
}

/**
 * Reads at most MAX_BODY_BYTES and discards the rest (unread, the socket would be torn down before the refusal is
 * sent), so a caller always gets an answer it can show.
 */
function readJsonBody(request: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('error', reject);
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return resolve({ ok: false, status: 413, message: `the request body is larger than ${MAX_BODY_BYTES} bytes` });
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return resolve({ ok: true, value: {} });
      try {
        resolve({ ok: true, value: JSON.parse(text) as unknown });
      } catch {
        resolve({ ok: false, status: 400, message: 'the request body is not JSON' });
      }
    });
  });
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
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
