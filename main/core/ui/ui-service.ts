// The UI contract served by the core: composes each domain's channel handlers, checks requests and responses against the shared schemas, pushes events.
import { EVENT_CHANNELS, isInvokeChannel, type EventChannel, type InvokeChannel } from '../../../shared/contract/channels.ts';
import { CONTRACT, EVENTS, type ContractEvent } from '../../../shared/contract/schemas.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import { isSwitchboardError } from '../errors.ts';
import { auditChannels } from './channels/audit-channels.ts';
import { authChannels } from './channels/auth-channels.ts';
import { clientsChannels } from './channels/clients-channels.ts';
import { firstRunChannels } from './channels/first-run-channels.ts';
import { logsChannels } from './channels/logs-channels.ts';
import { serversChannels } from './channels/servers-channels.ts';
import { settingsChannels } from './channels/settings-channels.ts';
import { statusChannels } from './channels/status-channels.ts';
import { toolsChannels } from './channels/tools-channels.ts';
import type { ChannelHandlers, UiServiceDeps } from './channels/ui-deps.ts';

export type { UiServiceDeps } from './channels/ui-deps.ts';

export type UiEventListener = <C extends EventChannel>(channel: C, payload: ContractEvent<C>) => void;

export interface UiService {
  /** Checks the request against the contract, runs the handler, and wraps the answer (or error) as a Result. */
  invoke(channel: string, request: unknown): Promise<Result<unknown>>;
  subscribe(listener: UiEventListener): () => void;
  close(): void;
}

/** How often the pushed events look for a changed status and new audit records. */
const EVENT_POLL_MS = 500;

export function createUiService(deps: UiServiceDeps): UiService {
  // One module per domain; the type makes a channel without a handler a compile error.
  const handlers: ChannelHandlers<InvokeChannel> = {
    ...statusChannels(deps),
    ...serversChannels(deps),
    ...authChannels(deps),
    ...clientsChannels(deps),
    ...auditChannels(deps),
    ...settingsChannels(deps),
    ...toolsChannels(deps),
    ...logsChannels(deps),
    ...firstRunChannels(deps),
  };
  const listeners = new Set<UiEventListener>();
  let lastAuditSeq: number | undefined;
  let lastStatus = '';

  const poller = setInterval(() => {
    if (!listeners.size) return;
    void (async () => {
      const current = await deps.app.status.status(false).catch(() => undefined);
      const serialised = JSON.stringify(current);
      if (current && serialised !== lastStatus) {
        lastStatus = serialised;
        emit('events:status', current);
      }
      let head: number;
      try {
        head = deps.app.audit.headSeq();
      } catch {
        return; // the audit trail is off, or the core is stopped (paused, restarting): nothing to push
      }
      if (lastAuditSeq === undefined) lastAuditSeq = head;
      if (head > lastAuditSeq) {
        const records = deps.app.audit.after(lastAuditSeq, 200);
        lastAuditSeq = records.at(-1)?.seq ?? head;
        emit('events:audit', { records });
      }
    })();
  }, EVENT_POLL_MS);
  poller.unref();

  function emit<C extends EventChannel>(channel: C, payload: ContractEvent<C>): void {
    const checked = EVENTS[channel].parse(payload) as ContractEvent<C>;
    for (const listener of listeners) listener(channel, checked);
  }

  return {
    async invoke(channel, request) {
      if (!isInvokeChannel(channel)) return fail('INTERNAL', `unknown channel ${String(channel)}`);
      const contract = CONTRACT[channel];
      const parsed = contract.request.safeParse(request ?? undefined);
      if (!parsed.success)
        return fail(
          'CONFIG_INVALID',
          `invalid request for ${channel}: ${parsed.error.issues[0]!.path.join('.') || '(root)'} ${parsed.error.issues[0]!.message}`,
        );
      try {
        const value = await (handlers[channel] as (input: unknown) => Promise<unknown>)(parsed.data);
        // The response schema is the last gate: fields it does not name (a hash, a token) never leave.
        return ok(contract.response.parse(value));
      } catch (error) {
        if (isSwitchboardError(error)) return fail(error.code, error.message);
        deps.logger.log('error', 'ui.request_failed', { channel, message: (error as Error).message });
        // The page has no log to show: the failure's own words go with it, cut short (an unexpected error carries no secret).
        return fail(
          'INTERNAL',
          `Switchboard failed unexpectedly (${(error as Error).message.slice(0, 200)}). Try again; if it repeats, restart Switchboard and report this message`,
        );
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      lastStatus = '';
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(poller);
      listeners.clear();
    },
  };
}

export { EVENT_CHANNELS };
