// Whether the request being served may send the person to the browser to sign in, and whether it waits for that.
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * - `wait`: a call (tools/call, prompts/get, resources/read) — the model is waiting for this server, so a sign-in
 *   in the browser is started and awaited.
 * - `start`: a listing — the sign-in is started but not awaited (lists must not hang on a person); the clients hear
 *   `list_changed` once it is done.
 * - `never` (also when unset): background work such as connecting at start-up — never opens a browser.
 */
export type SignInPolicy = 'wait' | 'start' | 'never';

export const signInPolicy = new AsyncLocalStorage<SignInPolicy>();
