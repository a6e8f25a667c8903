// An SDK client that hands a server's task handle (`resultType: "task"`, the Tasks extension) back to its caller.
import { Client, ProtocolError } from '@modelcontextprotocol/client';
import type { JSONRPCErrorResponse, JSONRPCResponse } from '@modelcontextprotocol/client';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** The task handles this module lifted out of responses; only these are ever treated as a created task. */
const liftedTasks = new WeakSet<object>();

/**
 * The SDK's 2026-07-28 result decoder knows `complete` and `input_required` only and rejects a task result as
 * unsupported. Switchboard relays tasks rather than running them, so a task result is taken out of the response
 * stream before the decoder sees it and delivered to the caller as a rejection that carries the handle. The handle
 * is recognised by identity, so no server can forge one by sending an error that looks like it.
 */
export class TaskRelayClient extends Client {
  protected override _onresponse(response: JSONRPCResponse | JSONRPCErrorResponse): void {
    const result = 'result' in response ? (response.result as Record<string, unknown> | undefined) : undefined;
    if (result?.resultType !== 'task' || this.getProtocolEra() !== 'modern') return super._onresponse(response);
    const handle = { ...result };
    liftedTasks.add(handle);
    super._onresponse({ jsonrpc: '2.0', id: response.id, error: { code: -32603, message: 'the server created a task', data: handle } });
  }
}

/** The task handle a TaskRelayClient request was answered with, if that is what the error is. */
export function createdTaskOf(error: unknown): Record<string, unknown> | undefined {
  if (!(error instanceof ProtocolError)) return undefined;
  const data = error.data as object | undefined;
  return data !== undefined && liftedTasks.has(data) ? (data as Record<string, unknown>) : undefined;
}
