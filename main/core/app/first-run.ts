// The guided first run: whether a person has finished or skipped it (kept in the data folder), and whether anything is set up yet.
import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, writeStateFile } from '../platform/state-file.ts';
import type { AppContext } from './app-context.ts';
import type { ClientsService } from './clients.ts';

export type FirstRunState = 'new' | 'skipped' | 'done';

export interface FirstRunView {
  state: FirstRunState;
  /** No server enabled and no client registered: the machine a person meets on the first start. */
  nothingSetUp: boolean;
}

export interface FirstRunService {
  get(): Promise<FirstRunView>;
  /** Remembered across restarts: a person who finished or skipped the guide is not shown it again unasked. */
  set(state: Exclude<FirstRunState, 'new'>): Promise<FirstRunView>;
}

const FILE_NAME = 'first-run.json';
const fileSchema = z.object({ state: z.enum(['skipped', 'done']), at: z.string() });

export function createFirstRunService(context: AppContext, clients: ClientsService): FirstRunService {
  const path = join(context.dataDir, FILE_NAME);
  async function get(): Promise<FirstRunView> {
    const kept = readStateFile(path, fileSchema, context.logger, 'first_run.state_unreadable');
    const config = await context.config();
    const nothingSetUp = !config.servers.some((server) => server.enabled) && clients.list().length === 0;
    return { state: kept?.state ?? 'new', nothingSetUp };
  }
  return {
    get,
    async set(state) {
      writeStateFile(path, { state, at: new Date().toISOString() }, context.logger, 'first_run.state_unwritable');
      return get();
    },
  };
}
