// The fetch an upstream transport uses: adds the server's bearer token, and on 401/403 authorizes and retries once.
import { extractWWWAuthenticateParams } from '@modelcontextprotocol/client';
import type { ServerAuthorizer } from './server-authorizer.ts';

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * Sits below the SDK, so the MCP protocol never sees authorization. Only this server's own token is ever attached
 * (no passthrough of any client's credential). A 401 triggers discovery and a grant; a 403 with
 * `insufficient_scope` a step-up with the union of scopes. Either is retried once; a second refusal goes back to the
 * SDK as it is, and the authorizer's status says why.
 */
export function createAuthorizedFetch(authorizer: ServerAuthorizer, baseFetch: Fetch = fetch): Fetch {
  return async (url, init) => {
    let sentToken: string | undefined;
    const send = async () => {
      sentToken = await authorizer.accessToken();
      const headers = new Headers(init?.headers);
      if (sentToken) headers.set('authorization', `Bearer ${sentToken}`);
      return baseFetch(url, { ...init, headers });
    };
    const response = await send();
    if (response.status === 401) {
      const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response);
      await response.body?.cancel();
      await authorizer.authorize({ ...(resourceMetadataUrl ? { resourceMetadataUrl: resourceMetadataUrl.href } : {}), ...(scope ? { scope } : {}) }, sentToken);
      return settle(await send());
    }
    if (response.status === 403) {
      const { resourceMetadataUrl, scope, error } = extractWWWAuthenticateParams(response);
      if (error !== 'insufficient_scope') return response;
      await response.body?.cancel();
      await authorizer.stepUp({ ...(resourceMetadataUrl ? { resourceMetadataUrl: resourceMetadataUrl.href } : {}), ...(scope ? { scope } : {}) });
      return settle(await send());
    }
    return settle(response);
  };

  function settle(response: Response): Response {
    if (response.status !== 401 && response.status !== 403) authorizer.succeeded();
    return response;
  }
}
