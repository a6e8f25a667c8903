// Tool review: the tools held back because their definition changed (or appeared) after the person approved the server, and approving them.
import { openToolPinStore } from '../pinning/pin-store.ts';
import { approveHeldTools, cleanedTools, reviewHeldTools, type ApprovedTool, type CleanedTool, type HeldToolReview } from '../pinning/tool-review.ts';
import type { AppContext } from './app-context.ts';

export type { ApprovedTool, CleanedTool, HeldToolReview } from '../pinning/tool-review.ts';

export interface ToolsService {
  /** The held tools, of every server or of one, each with its old and new definition. */
  review(server?: string): Promise<HeldToolReview[]>;
  /** Approved tools whose definition had hidden content, which clients get removed: worth a person's look all the same. */
  cleaned(server?: string): Promise<CleanedTool[]>;
  /**
   * Approves the held definitions of `server` (all, or the tools named) and records one `tool.approved` event each.
   * A running Switchboard lists them again within a second and tells its clients the tool list changed.
   */
  approve(server: string, tools?: readonly string[]): Promise<ApprovedTool[]>;
}

/**
 * Both contexts write the data folder's pin database directly: serve and the app share one connection with the router
 * (so an approval there counts at once), a CLI command opens its own and the running router notices the change.
 */
export function createToolsService(context: AppContext): ToolsService {
  const store = () => openToolPinStore(context.dataDir);
  return {
    review: async (server) => reviewHeldTools(store(), server),
    cleaned: async (server) => cleanedTools(store(), server),
    async approve(server, tools = []) {
      const approved = approveHeldTools(store(), server, tools, context.actor);
      for (const { tool, oldDigest, newDigest } of approved)
        context.recordSecurityEvent({ method: 'tool.approved', server, details: { tool, oldDigest, newDigest } });
      return approved;
    },
  };
}
