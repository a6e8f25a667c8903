// The Tasks extension as a sandbox server runs it: durable task state shared by every request, polled, answered and cancelled.
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/server';
import type { CallToolResult, InputRequest, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

interface TaskRecord {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  result?: CallToolResult;
  error?: { code: number; message: string };
  inputRequests?: Record<string, InputRequest>;
  answer?: { key: string; resolve: (response: unknown) => void };
  abort: AbortController;
}

/** What a task's work can do: ask the client something (the task waits in input_required) and notice cancellation. */
export interface TaskControl {
  ask(key: string, request: InputRequest): Promise<unknown>;
  signal: AbortSignal;
  report(message: string): void;
}

const TTL_MS = 60_000;
const POLL_INTERVAL_MS = 20;

export class SandboxTaskStore {
  readonly #tasks = new Map<string, TaskRecord>();

  /** Starts the work and returns the CreateTaskResult once the task exists (so a tasks/get for it resolves). */
  create(work: (control: TaskControl) => Promise<CallToolResult>): Record<string, unknown> {
    const now = new Date().toISOString();
    const task: TaskRecord = { taskId: randomUUID(), status: 'working', createdAt: now, lastUpdatedAt: now, abort: new AbortController() };
    this.#tasks.set(task.taskId, task);
    const control: TaskControl = {
      signal: task.abort.signal,
      report: (message) => this.#set(task, { statusMessage: message }),
      ask: (key, request) =>
        new Promise((resolve) => {
          task.answer = { key, resolve };
          this.#set(task, { status: 'input_required', inputRequests: { [key]: request } });
        }),
    };
    work(control).then(
      (result) => {
        if (task.status !== 'cancelled') this.#set(task, { status: 'completed', result });
      },
      (error: unknown) => {
        if (task.status !== 'cancelled') this.#set(task, { status: 'failed', error: { code: -32603, message: String((error as Error).message) } });
      },
    );
    return { resultType: 'task', ...this.#view(task) };
  }

  get(taskId: string): Record<string, unknown> {
    return this.#view(this.#find(taskId));
  }

  /** Answers for keys that are not outstanding are ignored, as the extension says. */
  update(taskId: string, inputResponses: Record<string, unknown>): void {
    const task = this.#find(taskId);
    const answer = task.answer;
    if (!answer || !(answer.key in inputResponses)) return;
    task.answer = undefined;
    this.#set(task, { status: 'working', inputRequests: undefined });
    answer.resolve(inputResponses[answer.key]);
  }

  cancel(taskId: string): void {
    const task = this.#find(taskId);
    if (task.status === 'completed' || task.status === 'failed' || task.status === 'cancelled') return;
    task.abort.abort(new Error('cancelled by the client'));
    this.#set(task, { status: 'cancelled', statusMessage: 'cancelled by the client', inputRequests: undefined });
  }

  #find(taskId: string): TaskRecord {
    const task = this.#tasks.get(taskId);
    if (!task) throw new ProtocolError(-32602, `unknown task ${taskId}`);
    return task;
  }

  #set(task: TaskRecord, changes: Partial<TaskRecord>): void {
    Object.assign(task, changes, { lastUpdatedAt: new Date().toISOString() });
  }

  #view(task: TaskRecord): Record<string, unknown> {
    return {
      taskId: task.taskId,
      status: task.status,
      ...(task.statusMessage ? { statusMessage: task.statusMessage } : {}),
      createdAt: task.createdAt,
      lastUpdatedAt: task.lastUpdatedAt,
      ttlMs: TTL_MS,
      pollIntervalMs: POLL_INTERVAL_MS,
      ...(task.status === 'input_required' ? { inputRequests: task.inputRequests } : {}),
      ...(task.status === 'completed' ? { result: task.result } : {}),
      ...(task.status === 'failed' ? { error: task.error } : {}),
    };
  }
}

const TASK_ID = z.object({ taskId: z.string() });

/** Serves tasks/get, tasks/update and tasks/cancel from the store (2026-07-28 servers only). */
export function serveTaskMethods(server: McpServer, store: SandboxTaskStore): void {
  server.server.setRequestHandler('tasks/get', { params: TASK_ID }, (params) => store.get(params.taskId) as never);
  server.server.setRequestHandler('tasks/update', { params: TASK_ID }, (params, context) => {
    // The SDK lifts inputResponses out of params into the request context, as for any multi-round-trip retry.
    store.update(params.taskId, (context.mcpReq.inputResponses ?? {}) as Record<string, unknown>);
    return {} as never;
  });
  server.server.setRequestHandler('tasks/cancel', { params: TASK_ID }, (params) => {
    store.cancel(params.taskId);
    return {} as never;
  });
}
