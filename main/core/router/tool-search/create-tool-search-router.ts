// Wires the tool-search router for the client gateway: the catalog router wrapped, usage read from the audit trail, changed direct sets announced.
import type { GatewayRouter } from '../gateway-router.ts';
import type { ToolSearchSettings as ToolSearchPolicy } from '../../config/tool-search-schema.ts';
import { ToolSearchRouter } from './tool-search-router.ts';
import { AuditTrailUsage } from './tool-usage.ts';

export function createToolSearchRouter(options: {
  inner: GatewayRouter;
  auditDatabasePath: string;
  policy?: () => ToolSearchPolicy;
  /** Sends tools/list_changed to every client: a new usage snapshot or a client's new budget changed someone's direct set. */
  onVisibleToolsChanged: () => void;
}): ToolSearchRouter {
  const router = new ToolSearchRouter(options.inner, {
    ...(options.policy ? { policy: options.policy } : {}),
    onVisibleToolsChanged: options.onVisibleToolsChanged,
  });
  router.setUsage(
    new AuditTrailUsage(options.auditDatabasePath, {
      onChange: () => {
        if (router.directSetsChanged()) options.onVisibleToolsChanged();
      },
    }),
  );
  return router;
}
