// A React hook for one contract call: its value, its error, whether it is loading, and a way to ask again.
import { useCallback, useEffect, useState } from 'react';
import type { InvokeChannel } from '../../shared/contract/channels.ts';
import type { ContractRequest, ContractResponse } from '../../shared/contract/schemas.ts';
import type { ContractError, Result } from '../../shared/result.ts';
import { invoke } from './bridge.ts';

export interface Query<T> {
  value?: T;
  error?: ContractError;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useContract<C extends InvokeChannel>(channel: C, request?: ContractRequest<C>): Query<ContractResponse<C>> {
  const key = `${channel}:${JSON.stringify(request ?? null)}`;
  // The answer remembers which request it answers, so a changed request shows "loading" without a synchronous reset.
  const [answer, setAnswer] = useState<{ key: string; result: Result<ContractResponse<C>> }>();

  useEffect(() => {
    let current = true;
    void invoke(channel, request).then((result) => {
      if (current) setAnswer({ key, result });
    });
    return () => {
      current = false;
    };
    // The key stands for the request's content: a new object with the same content must not ask again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const reload = useCallback(async () => {
    const result = await invoke(channel, request);
    setAnswer({ key, result });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const result = answer?.key === key ? answer.result : undefined;
  const stale = answer?.result;
  return {
    ...(result?.ok ? { value: result.value } : stale?.ok ? { value: stale.value } : {}),
    ...(result && !result.ok ? { error: result.error } : {}),
    loading: !result,
    reload,
  };
}
