// The gate between a server's tool list and the clients: definitions the person approved pass (cleaned of hidden content); changed or new ones are held for review, or let through when the policy says so.
import type { Tool } from '@modelcontextprotocol/server';
import { SwitchboardError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import { openToolPinStore, type ToolPinStore } from './pin-store.ts';
import { toolDigest } from './tool-digest.ts';
import { sanitiseTool, type SanitisedTool } from './tool-sanitiser.ts';

/** What a changed or new definition does after a server's first approval: wait for the person, or pass (company policy). */
export type ToolChangePolicy = 'hold' | 'allow';

/** An audit security event, as the audit trail takes it. */
export interface PinningEvent {
  method: 'tool.pinned' | 'tool.changed' | 'tool.added' | 'tool.sanitised' | 'tool.pinning_unavailable';
  outcome: 'ok' | 'failure';
  server?: string;
  errorType?: string;
  details?: Record<string, unknown>;
}

export interface ToolPinsOptions {
  /** Where tool-pins.db lives. */
  dataDir: string;
  changes: ToolChangePolicy;
  logger: Logger;
  onSecurityEvent(event: PinningEvent): void;
  /** A held tool was approved (in the app, the CLI, another process): clients should list the tools again. */
  onApproved?(): void;
  /** How often held tools are looked up for an approval made elsewhere; 500 ms unless a test says otherwise. */
  pollMs?: number;
}

/** A tool held back from one server: its digest, and whether it is new (no definition of it was ever approved). */
interface HeldEntry {
  digest: string;
  isNew: boolean;
}

interface Screened {
  source: readonly Tool[];
  url: string;
  generation: string;
  result: Tool[];
}

const DEFAULT_POLL_MS = 500;

export class ToolPins {
  readonly #options: ToolPinsOptions;
  #store: ToolPinStore | undefined;
  #unavailable = false;
  readonly #screened = new Map<string, Screened>();
  readonly #held = new Map<string, Map<string, HeldEntry>>();
  readonly #digests = new WeakMap<Tool, string>();
  readonly #sanitised = new WeakMap<Tool, SanitisedTool>();
  #poller: NodeJS.Timeout | undefined;
  #polledGeneration: string | undefined;

  constructor(options: ToolPinsOptions) {
    this.#options = options;
  }

  /**
   * The tools of `server` clients may see, cleaned. The same array for the same listing while nothing was approved or
   * held since, so the router's routes computed from it stay cached. Without a usable pin database the tools are only
   * cleaned (logged and audited once): a broken file must not take every server away.
   */
  screen(server: { id: string; url: string }, tools: readonly Tool[]): Tool[] {
    const store = this.#openStore();
    const generation = store?.generation() ?? 'unpinned';
    const last = this.#screened.get(server.id);
    if (last && last.source === tools && last.url === server.url && last.generation === generation) return last.result;
    let passed: Tool[];
    try {
      passed = store ? this.#decide(store, server, tools) : [...tools];
    } catch (error) {
      // The database failed mid-way (busy past its timeout, disk full): nothing unapproved may slip through meanwhile.
      this.#options.logger.log('error', 'tools.pinning_failed', { server: server.id, message: (error as Error).message });
      return last?.result ?? [];
    }
    const cleaned = passed.map((tool) => this.#sanitise(tool).tool);
    // Element by element the same as before: keep the old array, so nothing downstream recomputes.
    const result = last && last.result.length === cleaned.length && last.result.every((tool, index) => tool === cleaned[index]) ? last.result : cleaned;
    this.#screened.set(server.id, { source: tools, url: server.url, generation: store?.generation() ?? 'unpinned', result });
    return result;
  }

  /** The error a call of a held tool gets, or undefined when `tool` (the server's own name) is not held. */
  refusalFor(serverId: string, tool: string): SwitchboardError | undefined {
    const entry = this.#held.get(serverId)?.get(tool);
    if (!entry) return undefined;
    const what = entry.isNew ? `is new since you approved the server "${serverId}"` : `of the server "${serverId}" changed since you approved it`;
    return new SwitchboardError(
      'TOOL_HELD_FOR_REVIEW',
      `the tool "${tool}" ${what}, so Switchboard holds it back until you approve it (TOOL_HELD_FOR_REVIEW): review it in the Switchboard app (Servers) or with \`switchboard tools review\`, then \`switchboard tools approve ${serverId} ${tool}\``,
    );
  }

  /** The server's own names of the tools held back from it, as last listed. */
  heldTools(serverId: string): string[] {
    return [...(this.#held.get(serverId)?.keys() ?? [])];
  }

  /** Stops looking for approvals; the database stays open for the process (the app's use cases share it). */
  close(): void {
    this.#stopPolling();
  }

  #decide(store: ToolPinStore, server: { id: string; url: string }, tools: readonly Tool[]): Tool[] {
    const events: PinningEvent[] = [];
    const held = new Map<string, HeldEntry>();
    const passed: Tool[] = [];
    const pinned = tools.map((definition) => ({ definition, digest: this.#digest(definition) }));
    store.transaction(() => {
      const approval = store.serverApproval(server.id);
      if (!approval || approval.url !== server.url) {
        // The first listing since the person (or the company policy) enabled the server at this URL: that is the approval.
        store.pinServer(server.id, server.url, pinned, 'first-use');
        const digests = Object.fromEntries(pinned.map(({ definition, digest }) => [definition.name, digest]));
        events.push({
          method: 'tool.pinned',
          outcome: 'ok',
          server: server.id,
          details: { url: server.url, ...(approval ? { previousUrl: approval.url } : {}), tools: digests },
        });
        passed.push(...tools);
      } else {
        const approved = store.approved(server.id);
        const heldBefore = new Map(store.held(server.id).map((entry) => [entry.tool, entry.digest]));
        for (const { definition, digest } of pinned) {
          const before = approved.get(definition.name);
          if (before?.digest === digest) {
            passed.push(definition);
            continue;
          }
          const change = { tool: definition.name, oldDigest: before?.digest ?? null, newDigest: digest };
          const method = before ? 'tool.changed' : 'tool.added';
          if (this.#options.changes === 'allow') {
            store.approve(server.id, definition.name, { digest, definition }, 'policy');
            events.push({ method, outcome: 'ok', server: server.id, details: { ...change, decision: 'allowed by policy' } });
            passed.push(definition);
            continue;
          }
          held.set(definition.name, { digest, isNew: !before });
          // Reported once per definition: listing a held tool again is not news.
          if (heldBefore.get(definition.name) !== digest) {
            store.hold(server.id, definition.name, { digest, definition });
            events.push({ method, outcome: 'ok', server: server.id, details: { ...change, decision: 'held' } });
          }
        }
        // A hold ends when the tool is gone, or back to what was approved.
        store.release(
          server.id,
          [...heldBefore.keys()].filter((tool) => !held.has(tool)),
        );
      }
      for (const { definition, digest } of pinned) {
        const { findings } = this.#sanitise(definition);
        if (findings.length && store.flagOnce(digest, server.id, definition.name, findings)) {
          events.push({ method: 'tool.sanitised', outcome: 'ok', server: server.id, details: { tool: definition.name, digest, findings } });
        }
      }
    });
    for (const event of events) this.#report(event);
    this.#setHeld(server.id, held);
    return passed;
  }

  #report(event: PinningEvent): void {
    this.#options.onSecurityEvent(event);
    if (event.method === 'tool.changed' || event.method === 'tool.added' || event.method === 'tool.sanitised') {
      this.#options.logger.log('warn', `tools.${event.method.slice('tool.'.length)}`, { server: event.server, ...event.details });
    }
  }

  #setHeld(serverId: string, held: Map<string, HeldEntry>): void {
    if (held.size) this.#held.set(serverId, held);
    else this.#held.delete(serverId);
    if (this.#held.size) this.#startPolling();
    else this.#stopPolling();
  }

  /** While something is held, looks for its approval (the app here, or a CLI command) so clients hear of it. */
  #startPolling(): void {
    if (this.#poller || !this.#options.onApproved) return;
    this.#poller = setInterval(() => this.#lookForApprovals(), this.#options.pollMs ?? DEFAULT_POLL_MS);
    this.#poller.unref();
  }

  #stopPolling(): void {
    if (this.#poller) clearInterval(this.#poller);
    this.#poller = undefined;
  }

  #lookForApprovals(): void {
    try {
      this.#findApprovals();
    } catch (error) {
      this.#stopPolling();
      this.#options.logger.log('warn', 'tools.approval_check_failed', { message: (error as Error).message });
    }
  }

  #findApprovals(): void {
    const store = this.#store;
    if (!store) return;
    const generation = store.generation();
    if (generation === this.#polledGeneration) return;
    this.#polledGeneration = generation;
    let approvedSome = false;
    for (const [serverId, held] of this.#held) {
      const approved = store.approved(serverId);
      for (const [tool, entry] of held) {
        if (approved.get(tool)?.digest !== entry.digest) continue;
        held.delete(tool);
        approvedSome = true;
      }
      if (!held.size) this.#held.delete(serverId);
    }
    if (!this.#held.size) this.#stopPolling();
    if (approvedSome) this.#options.onApproved?.();
  }

  #openStore(): ToolPinStore | undefined {
    if (this.#store || this.#unavailable) return this.#store;
    try {
      this.#store = openToolPinStore(this.#options.dataDir);
    } catch (error) {
      this.#unavailable = true;
      const code = error instanceof SwitchboardError ? error.code : 'TOOL_PINS_UNAVAILABLE';
      const message = `tool definitions are not pinned in this run (changes pass unreviewed; hidden content is still removed): ${(error as Error).message}`;
      this.#options.logger.log('error', 'tools.pinning_unavailable', { code, message });
      this.#options.onSecurityEvent({ method: 'tool.pinning_unavailable', outcome: 'failure', errorType: code, details: { message } });
    }
    return this.#store;
  }

  #digest(tool: Tool): string {
    let digest = this.#digests.get(tool);
    if (digest === undefined) this.#digests.set(tool, (digest = toolDigest(tool)));
    return digest;
  }

  #sanitise(tool: Tool): SanitisedTool {
    let sanitised = this.#sanitised.get(tool);
    if (!sanitised) this.#sanitised.set(tool, (sanitised = sanitiseTool(tool)));
    return sanitised;
  }
}
