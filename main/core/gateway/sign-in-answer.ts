// How a client learns, at once, that a server needs the person to sign in: the spec's URL elicitation where it declared one, else words and a link.
import { CLIENT_CAPABILITIES_META_KEY, inputRequired, ProtocolError, UrlElicitationRequiredError } from '@modelcontextprotocol/server';
import type { CallToolResult, ClientCapabilities, Server, ServerContext } from '@modelcontextprotocol/server';
import type { SignInRequiredError } from '../auth/sign-in-required.ts';

/** The key of Switchboard's own request in an input_required result, stripped from the retry before it goes upstream. */
export const SIGN_IN_INPUT_KEY = 'io.switchboard/sign-in';

const INTERNAL_ERROR = -32603;

export interface SignInLinkIssuer {
  /** A one-time link that starts the sign-in for a target (a server id or `sso`); undefined before the endpoint is bound. */
  issue(target: string): string | undefined;
  describe(target: string): string;
}

/**
 * - 2026-07-28 clients that declared URL elicitation get an `input_required` result embedding it; they retry the
 *   same request once the person is done.
 * - 2025-11-25 clients that declared it get error -32042 (URLElicitationRequiredError).
 * - Every other client gets a tool error (for tools/call) or a JSON-RPC error whose text names the server and the link,
 *   so the model can tell the person what to do.
 */
export function answerSignInRequired(
  needed: SignInRequiredError,
  links: SignInLinkIssuer,
  server: Server,
  context: ServerContext,
  asToolResult: boolean,
): CallToolResult {
  const url = links.issue(needed.target);
  const what = links.describe(needed.target);
  const again = needed.moreScope ? ` again, with more permissions (${needed.moreScope}),` : '';
  const how = url ? `Open ${url} to sign in, then try again.` : 'Sign in from the Switchboard window, then try again.';
  const message = `The MCP server "${needed.serverId}" needs you to sign in to ${what}${again} before it can answer. ${how}`;
  if (url && acceptsUrlElicitation(server, context)) {
    if (isModernRequest(context)) {
      return inputRequired({ inputRequests: { [SIGN_IN_INPUT_KEY]: inputRequired.elicitUrl({ message, url }) } }) as unknown as CallToolResult;
    }
    throw new UrlElicitationRequiredError([{ mode: 'url', message, url, elicitationId: url.slice(url.lastIndexOf('/') + 1) }], message);
  }
  if (asToolResult) return { content: [{ type: 'text', text: message }], isError: true };
  throw new ProtocolError(INTERNAL_ERROR, message, { switchboardCode: needed.code, ...(url ? { signInUrl: url } : {}) });
}

function isModernRequest(context: ServerContext): boolean {
  return context.mcpReq.envelope !== undefined;
}

/** URL-mode elicitation as the client declared it: on this request (2026-07-28) or at initialize (2025-11-25). */
function acceptsUrlElicitation(server: Server, context: ServerContext): boolean {
  const envelope = context.mcpReq.envelope as Record<string, ClientCapabilities | undefined> | undefined;
  const capabilities = envelope ? envelope[CLIENT_CAPABILITIES_META_KEY] : server.getClientCapabilities();
  const url = (capabilities?.elicitation as { url?: unknown } | undefined)?.url;
  return typeof url === 'object' && url !== null;
}
