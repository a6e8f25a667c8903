// The CLI's side of the control socket: typed requests to the Switchboard running with a data folder (status, sign-in and sign-out).
import { request as httpRequest } from 'node:http';
import { isErrorCode } from '../../../shared/error-codes.ts';
import type { SignInState } from '../app/sign-in-outcome.ts';
import { SwitchboardError } from '../errors.ts';
import type { SwitchboardStatus } from '../switchboard.ts';
import { controlSocketPath, type ControlSignInOutcome, type ControlSignInStart } from './control-socket.ts';

/** The running Switchboard as the CLI sees it; every call rejects with GATEWAY_NOT_RUNNING when none runs. */
export interface RunningSwitchboard {
  status(): Promise<SwitchboardStatus>;
  signInStatus(): Promise<SignInState>;
  /** Sign-in discovery (metadata, registration) happens before the running Switchboard can answer with a URL. */
  beginSignIn(server: string | undefined): Promise<ControlSignInStart>;
  /** The long poll, bounded by `waitMs`; aborting the signal stops this wait only. */
  waitForSignIn(server: string | undefined, waitMs: number, signal?: AbortSignal): Promise<ControlSignInOutcome>;
  cancelSignIn(server: string | undefined): Promise<boolean>;
  /** Revoking at the authorization servers and the IdP can take a moment. */
  signOut(server: string | undefined): Promise<void>;
}

export function runningSwitchboard(dataDir: string): RunningSwitchboard {
  const target = (server: string | undefined) => (server ? { server } : {});
  return {
    status: () => readControlStatus<SwitchboardStatus>(dataDir),
    signInStatus: () => controlRequest<SignInState>(dataDir, 'GET', '/auth/status', { timeoutMs: 10_000 }),
    beginSignIn: (server) => controlRequest<ControlSignInStart>(dataDir, 'POST', '/auth/sign-in', { body: target(server), timeoutMs: 60_000 }),
    waitForSignIn: (server, waitMs, signal) =>
      controlRequest<ControlSignInOutcome>(dataDir, 'POST', '/auth/sign-in/wait', {
        body: { ...target(server), waitMs },
        timeoutMs: waitMs + 10_000,
        ...(signal ? { signal } : {}),
      }),
    cancelSignIn: async (server) => (await controlRequest<{ cancelled: boolean }>(dataDir, 'POST', '/auth/sign-in/cancel', { body: target(server) })).cancelled,
    signOut: async (server) => void (await controlRequest(dataDir, 'POST', '/auth/sign-out', { body: target(server), timeoutMs: 60_000 })),
  };
}

/**
 * One request to the running Switchboard. GATEWAY_NOT_RUNNING only when nobody listens on the socket (callers may then
 * do the work in their own process); a Switchboard that listens but does not answer in time is reported, never bypassed.
 */
export function controlRequest<T>(
  dataDir: string,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: object; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 3000;
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const request = httpRequest(
      {
        socketPath: controlSocketPath(dataDir),
        path,
        method,
        timeout: timeoutMs,
        // A fresh connection each time: a kept-alive socket would hold the CLI open after its answer.
        agent: false,
        ...(options.signal ? { signal: options.signal } : {}),
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch (error) {
            return reject(new SwitchboardError('INTERNAL', `the running Switchboard sent an unreadable answer to ${path}`, { cause: error }));
          }
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(value as T);
          const { code, message } = (value ?? {}) as { code?: unknown; message?: unknown };
          reject(
            isErrorCode(code) && typeof message === 'string'
              ? new SwitchboardError(code, message)
              : new SwitchboardError('INTERNAL', `the running Switchboard answered ${status} to ${path}`),
          );
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(
        new SwitchboardError(
          'INTERNAL',
          `the Switchboard running with the data folder ${dataDir} did not answer within ${Math.round(timeoutMs / 1000)} s; it may be stuck: stop it and start it again`,
        ),
      ),
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (options.signal?.aborted) return reject(options.signal.reason);
      if (error instanceof SwitchboardError) return reject(error);
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED' || error.code === 'ENOTSOCK') {
        return reject(
          new SwitchboardError(
            'GATEWAY_NOT_RUNNING',
            `no Switchboard is running with the data folder ${dataDir}; start it with \`switchboard serve\` or the app`,
            { cause: error },
          ),
        );
      }
      reject(
        new SwitchboardError('INTERNAL', `the control socket of the Switchboard running with the data folder ${dataDir} failed: ${error.message}`, {
          cause: error,
        }),
      );
    });
    request.end(payload);
  });
}

/** Asks the running Switchboard (if any) for its status; NOT_RUNNING when nobody answers on the socket. */
export function readControlStatus<T>(dataDir: string, timeoutMs = 3000): Promise<T> {
  return controlRequest<T>(dataDir, 'GET', '/status', { timeoutMs });
}
