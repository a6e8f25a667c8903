// The fetch an upstream transport uses: adds the server's token (bearer, or DPoP with a fresh proof), and on 401/403 authorizes and retries once.
import { extractWWWAuthenticateParams } from '@modelcontextprotocol/client';
import * as oauth from 'oauth4webapi';
import type { ServerAuthorizer, UpstreamCredential } from './server-authorizer.ts';

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
      const credential = await authorizer.credential();
      sentToken = credential?.token;
      if (credential?.dpop) return sendWithProof(credential as Required<UpstreamCredential>, url, init, baseFetch);
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

/**
 * A DPoP-bound token goes out as `Authorization: DPoP <token>` with a new proof for this request (RFC 9449 §7.1: its
 * own jti, htm, htu and the token's hash as ath), signed by oauth4webapi's handle. A server that answers
 * `use_dpop_nonce` (§9) gets the request once more, with the nonce it sent, which the handle keeps for its origin.
 */
async function sendWithProof(credential: Required<UpstreamCredential>, url: string | URL, init: RequestInit | undefined, baseFetch: Fetch): Promise<Response> {
  const target = new URL(url);
  const attempt = async (): Promise<{ response: Response; nonceRefused?: boolean }> => {
    try {
      const response = await oauth.protectedResourceRequest(credential.token, init?.method ?? 'GET', target, undefined, undefined, {
        DPoP: credential.dpop,
        // The transport chose the URL (and its scheme); only the two headers oauth4webapi made are taken from it, so the
        // body, signal and other headers go out exactly as the transport gave them.
        [oauth.allowInsecureRequests]: true,
        [oauth.customFetch]: async (_href, made) => {
          const headers = new Headers(init?.headers);
          const proofHeaders = new Headers(made.headers);
          headers.set('authorization', proofHeaders.get('authorization')!);
          headers.set('dpop', proofHeaders.get('dpop')!);
          return baseFetch(url, { ...init, headers });
        },
      });
      return { response };
    } catch (error) {
      // A challenge is the caller's to handle (a 401 or 403 as the bearer path sees it); oauth4webapi only lifts it out.
      if (error instanceof oauth.WWWAuthenticateChallengeError) return { response: error.response, nonceRefused: oauth.isDPoPNonceError(error) };
      throw error;
    }
  };
  const first = await attempt();
  if (!first.nonceRefused) return first.response;
  await first.response.body?.cancel();
  return (await attempt()).response;
}
