// The shape of a multi-round-trip retry's own fields (SEP-2322): checked at the door, since the SDK takes a malformed one as "no answers".

const INVALID_PARAMS = -32602;

/**
 * Why a request's `inputResponses` (an object of answer objects) or `requestState` (an opaque string) is malformed, or
 * undefined when they are absent or well-formed. Taking a number or null as "no answers" would run the request again
 * as if new and hide the client's mistake; the spec asks servers to refuse such a request with a protocol error.
 */
export function malformedContinuation(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const params = (message as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null) return undefined;
  const { inputResponses, requestState } = params as { inputResponses?: unknown; requestState?: unknown };
  if (inputResponses !== undefined && (typeof inputResponses !== 'object' || inputResponses === null || Array.isArray(inputResponses)))
    return `inputResponses must be an object of answers keyed by the input request they answer (got ${inputResponses === null ? 'null' : Array.isArray(inputResponses) ? 'an array' : typeof inputResponses})`;
  const notAnswer = Object.entries((inputResponses ?? {}) as Record<string, unknown>).find(
    ([, answer]) => typeof answer !== 'object' || answer === null || Array.isArray(answer),
  );
  if (notAnswer)
    return `inputResponses.${notAnswer[0]} must be the answer object to that input request (an elicitation, sampling or roots result), not ${notAnswer[1] === null ? 'null' : typeof notAnswer[1]}`;
  if (requestState !== undefined && typeof requestState !== 'string')
    return `requestState must be the string the server sent, returned unchanged (got ${requestState === null ? 'null' : typeof requestState})`;
  return undefined;
}

/** The JSON-RPC refusal of such a request: Invalid params, under the request's own id, as the SDK answers other invalid params. */
export function continuationRefusal(message: unknown, why: string): string {
  const id = (message as { id?: unknown }).id;
  return JSON.stringify({
    jsonrpc: '2.0',
    id: typeof id === 'string' || typeof id === 'number' ? id : null,
    error: { code: INVALID_PARAMS, message: `Invalid params: ${why}` },
  });
}
