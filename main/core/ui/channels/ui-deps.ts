// What every domain's channel handlers get from the host, and the shape of a set of handlers.
import type { z } from 'zod';
import type { InvokeChannel } from '../../../../shared/contract/channels.ts';
import type { CONTRACT } from '../../../../shared/contract/schemas.ts';
import type { PathEnvironment } from '../../clients/ai-client-targets.ts';
import type { SwitchboardConfig } from '../../config/config-schema.ts';
import type { CompanyPolicy } from '../../discovery/company-policy.ts';
import type { Logger } from '../../ports.ts';
import type { Switchboard } from '../../switchboard.ts';

export interface UiServiceDeps {
  /** The running core; the host may replace it (a restart after a server is enabled keeps the same port). */
  switchboard: () => Switchboard;
  config: () => SwitchboardConfig;
  configPath: string;
  dataDir: string;
  policy: CompanyPolicy;
  /** Applies a changed configuration file: the host restarts the core (on the same port unless told otherwise). */
  restartCore: (options?: { keepPort?: boolean }) => Promise<void>;
  pathEnvironment: PathEnvironment;
  /** The full command line that starts the stdio bridge (`switchboard stdio`, resolved to this installation), for Claude Desktop. */
  bridgeCommand: { command: string; args: string[]; env?: Record<string, string> };
  logger: Logger;
}

/** The handlers of the channels whose names start with a prefix, typed by the contract. */
export type ChannelHandlers<C extends InvokeChannel> = {
  [K in C]: (request: z.infer<(typeof CONTRACT)[K]['request']>) => Promise<z.input<(typeof CONTRACT)[K]['response']>>;
};
