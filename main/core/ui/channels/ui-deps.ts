// What every domain's channel handlers get — the app over the running core — and the shape of a set of handlers.
import type { z } from 'zod';
import type { InvokeChannel } from '../../../../shared/contract/channels.ts';
import type { CONTRACT } from '../../../../shared/contract/schemas.ts';
import type { HostedApp } from '../../app/app.ts';
import type { Logger } from '../../ports.ts';

export interface UiServiceDeps {
  /** The use cases; the channels only check and map what goes in and out. */
  app: HostedApp;
  logger: Logger;
}

/** The handlers of the channels whose names start with a prefix, typed by the contract. */
export type ChannelHandlers<C extends InvokeChannel> = {
  [K in C]: (request: z.infer<(typeof CONTRACT)[K]['request']>) => Promise<z.input<(typeof CONTRACT)[K]['response']>>;
};
