// The page's typed view of the contract: calls go through the preload bridge and come back as Results.
import type { InvokeChannel } from '../../shared/contract/channels.ts';
import type { ContractRequest, ContractResponse } from '../../shared/contract/schemas.ts';
import type { Result } from '../../shared/result.ts';

interface SwitchboardBridge {
  invoke(channel: string, request?: unknown): Promise<unknown>;
}

declare global {
  interface Window {
    switchboard?: SwitchboardBridge;
  }
}

export async function invoke<C extends InvokeChannel>(channel: C, request?: ContractRequest<C>): Promise<Result<ContractResponse<C>>> {
  const bridge = window.switchboard;
  if (!bridge) return { ok: false, error: { code: 'INTERNAL', message: 'The Switchboard bridge is missing; open this page from the Switchboard app.' } };
  return (await bridge.invoke(channel, request)) as Result<ContractResponse<C>>;
}
