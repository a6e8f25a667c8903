// The audit trail across one run: opened at start (store, sink exporters, hourly pruning), closed at stop after a last delivery.
import { createHash } from 'node:crypto';
import { auditDatabasePath } from '../audit/audit-paths.ts';
import { AuditRecorder, type AuditTrail } from '../audit/audit-recorder.ts';
import { AuditStore } from '../audit/audit-store.ts';
import { createAuditSink } from '../audit/sinks/create-sink.ts';
import { SinkExporter } from '../audit/sinks/sink-exporter.ts';
import type { SecurityEvent } from '../auth/security-event.ts';
import type { SwitchboardConfig } from '../config/config-schema.ts';
import type { GatewayAudit } from '../gateway/audited.ts';
import type { Logger } from '../ports.ts';
import type { SignedInUser } from './signed-in-user.ts';

const PRUNE_EVERY_MS = 3_600_000;
/** How long stop() waits for each sink's last delivery: whatever is left is sent after the next start (the cursor remembers). */
const LAST_DELIVERY_MS = 1000;

/** A security event from the auth code, or from the app or the CLI (which name the client it concerns). */
export type SecurityRecord = SecurityEvent & { client?: string };

export class AuditLifecycle {
  readonly #config: SwitchboardConfig;
  readonly #dataDir: string;
  readonly #logger: Logger;
  #store: AuditStore | undefined;
  #recorder: AuditRecorder | undefined;
  #exporters: SinkExporter[] = [];
  #pruneTimer: NodeJS.Timeout | undefined;

  /**
   * What the gateway and the auth code record into, from construction on. The trail opens only at start (its folder
   * may not exist before), so records made while it is closed — before start, after stop, with auditing off — go nowhere.
   */
  readonly trail: AuditTrail = { record: async (entry) => this.#recorder?.record(entry) };

  /** What the gateway records calls into: undefined with auditing off, so calls skip the recording work entirely. */
  readonly gatewayAudit: GatewayAudit | undefined;

  constructor(options: { config: SwitchboardConfig; dataDir: string; logger: Logger }) {
    this.#config = options.config;
    this.#dataDir = options.dataDir;
    this.#logger = options.logger;
    this.gatewayAudit = options.config.audit.enabled ? { trail: this.trail, capture: options.config.audit.capture } : undefined;
  }

  /** The store while the trail is open (the UI queries it); undefined with auditing off, before start and after stop. */
  store(): AuditStore | undefined {
    return this.#store;
  }

  /** Records a security event without waiting: recording never holds up what it records. */
  recordSecurityEvent({ method, outcome, client, server, errorType, details }: SecurityRecord): void {
    void this.trail.record({
      kind: 'security',
      method,
      outcome,
      ...(client ? { client } : {}),
      ...(server ? { server } : {}),
      ...(errorType ? { errorType } : {}),
      ...(details ? { details } : {}),
    });
  }

  /** Opens the trail when auditing is on, prunes it now and hourly, and records what this run started with. */
  start(user: SignedInUser): void {
    if (!this.#config.audit.enabled) return;
    const store = AuditStore.open(auditDatabasePath(this.#dataDir));
    this.#store = store;
    // A span for the hop to a server names that server's address, which the records leave to the configuration.
    const serverUrl = (id: string) => this.#config.servers.find((server) => server.id === id)?.url;
    this.#exporters = this.#config.audit.sinks.map((sink) => new SinkExporter(createAuditSink(sink, { serverUrl }), store, this.#logger));
    this.#recorder = new AuditRecorder(store, {
      logger: this.#logger,
      user: () => user.current(),
      onWritten: () => this.#exporters.forEach((exporter) => exporter.poke()),
    });
    user.refresh();
    this.#prune(store);
    this.#pruneTimer = setInterval(() => this.#prune(store), PRUNE_EVERY_MS);
    this.#pruneTimer.unref();
    // The digest ties each run's records to the exact configuration it ran with, without copying that configuration in.
    const configDigest = createHash('sha256').update(JSON.stringify(this.#config)).digest('hex');
    const servers = this.#config.servers.filter((server) => server.enabled).map((server) => server.id);
    this.recordSecurityEvent({ method: 'switchboard.started', outcome: 'ok', details: { servers, configDigest } });
    // Records from before a restart that a sink has not got yet go now, not only after the next new record.
    for (const exporter of this.#exporters) exporter.poke();
  }

  /** Records the stop, closes the trail, gives each sink one brief last delivery, then closes the store. */
  async stop(): Promise<void> {
    this.recordSecurityEvent({ method: 'switchboard.stopped', outcome: 'ok' });
    if (this.#pruneTimer) clearInterval(this.#pruneTimer);
    this.#pruneTimer = undefined;
    this.#recorder?.close();
    this.#recorder = undefined;
    await Promise.allSettled(
      this.#exporters.map((exporter) => Promise.race([exporter.drain(), new Promise((resolve) => setTimeout(resolve, LAST_DELIVERY_MS).unref())])),
    );
    await Promise.allSettled(this.#exporters.map((exporter) => exporter.close()));
    this.#exporters = [];
    this.#store?.close();
    this.#store = undefined;
  }

  /** Retention is applied while running; a failed prune is only logged, as the records stay valid and it runs again. */
  #prune(store: AuditStore): void {
    try {
      const removed = store.prune(this.#config.audit.retention);
      if (removed) this.#logger.log('info', 'audit.pruned', { removed });
    } catch (error) {
      this.#logger.log('warn', 'audit.prune_failed', { message: (error as Error).message });
    }
  }
}
