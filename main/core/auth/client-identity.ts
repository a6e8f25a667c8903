// Who Switchboard is at an authorization server: pre-registered, a Client ID Metadata Document, or dynamically registered.
import * as oauth from 'oauth4webapi';
import type { ServerAuthConfig } from '../config/config-schema.ts';
import { SwitchboardError } from '../errors.ts';
import { vaultAccounts, type ClientRecord, type Vault } from '../vault/vault.ts';
import { grantError, oauthRequestOptions, type AuthFetch } from './auth-http.ts';

export interface ClientIdentity {
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  registeredBy: ClientRecord['registeredBy'];
}

export interface ClientIdentityRequest {
  as: oauth.AuthorizationServer;
  serverId: string;
  serverAuth: ServerAuthConfig | undefined;
  vault: Vault;
  /** The loopback redirect URI, when the identity is for the authorization-code flow (DCR registers it). */
  redirectUri?: string;
  /** Switchboard's CIMD URL, when one is configured. */
  clientMetadataUrl?: string;
  /** The guarded fetch for this server's authorization requests (registration here). */
  authFetch: AuthFetch;
}

/**
 * In the MCP spec's order: a client pre-registered for this server (its secret or key in the keychain), then one
 * registered earlier at this issuer, then a Client ID Metadata Document where the AS supports it, then Dynamic Client
 * Registration as a native application. Registrations are kept per issuer, so a server that moves to another
 * authorization server gets a fresh one.
 */
export async function resolveClientIdentity(request: ClientIdentityRequest): Promise<ClientIdentity> {
  const { as, serverAuth, vault } = request;
  if (serverAuth?.clientId) {
    const secret = await vault.getSecret(vaultAccounts.serverClientSecret(request.serverId));
    const method = serverAuth.tokenEndpointAuthMethod ?? (secret ? secretMethodFor(as) : 'none');
    if (method !== 'none' && !secret) {
      throw new SwitchboardError(
        'AUTH_REGISTRATION_FAILED',
        `server "${request.serverId}" uses ${method} but no secret is stored; run \`switchboard auth set-secret ${request.serverId}\``,
      );
    }
    return identity(
      { clientId: serverAuth.clientId, ...(secret ? { clientSecret: secret } : {}), tokenEndpointAuthMethod: method, registeredBy: 'pre-registered' },
      serverAuth,
    );
  }
  const known = await vault.read<ClientRecord>(vaultAccounts.client(as.issuer));
  if (known) return identity(known, serverAuth);
  if (as.client_id_metadata_document_supported === true && request.clientMetadataUrl) {
    return identity({ clientId: request.clientMetadataUrl, tokenEndpointAuthMethod: 'none', registeredBy: 'cimd' }, serverAuth);
  }
  if (as.registration_endpoint && request.redirectUri) {
    const record = await registerDynamically(as, request.redirectUri, request.authFetch);
    await vault.write(vaultAccounts.client(as.issuer), record);
    return identity(record, serverAuth);
  }
  throw new SwitchboardError(
    'AUTH_REGISTRATION_FAILED',
    `the authorization server ${as.issuer} offers neither Client ID Metadata Documents nor dynamic registration; register Switchboard there and set servers[].auth.clientId for "${request.serverId}"`,
  );
}

/** With a secret and no configured method: basic (RFC 6749's default) unless the AS lists only post. */
function secretMethodFor(as: oauth.AuthorizationServer): string {
  const supported = as.token_endpoint_auth_methods_supported;
  return supported && !supported.includes('client_secret_basic') && supported.includes('client_secret_post') ? 'client_secret_post' : 'client_secret_basic';
}

/** RFC 7591 as the MCP spec asks of desktop apps: a native application with a loopback redirect, public if the AS allows. */
async function registerDynamically(as: oauth.AuthorizationServer, redirectUri: string, authFetch: AuthFetch): Promise<ClientRecord> {
  const supported = as.token_endpoint_auth_methods_supported;
  const method = !supported || supported.includes('none') ? 'none' : supported.includes('client_secret_basic') ? 'client_secret_basic' : 'client_secret_post';
  try {
    const response = await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: 'Switchboard',
        application_type: 'native',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: method,
      },
      oauthRequestOptions(as.registration_endpoint!, authFetch),
    );
    const registered = await oauth.processDynamicClientRegistrationResponse(await withSecretExpiry(response));
    return {
      clientId: registered.client_id,
      ...(typeof registered.client_secret === 'string' ? { clientSecret: registered.client_secret } : {}),
      tokenEndpointAuthMethod: String(registered.token_endpoint_auth_method ?? method),
      registeredBy: 'dcr',
    };
  } catch (error) {
    // A registration endpoint the address policy refused keeps its own code: it is not the server refusing us.
    if (error instanceof SwitchboardError && error.code === 'AUTH_ADDRESS_REFUSED') throw error;
    const wrapped = grantError(error, `dynamic client registration at ${as.issuer}`);
    throw new SwitchboardError('AUTH_REGISTRATION_FAILED', wrapped.message, { cause: error });
  }
}

/**
 * RFC 7591 requires client_secret_expires_at with every issued secret (0 = never); some servers leave it out. Missing
 * means "no expiry stated", which is what 0 says, so the response is read that way instead of being refused.
 */
async function withSecretExpiry(response: Response): Promise<Response> {
  if (response.status !== 201) return response;
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!body || typeof body.client_secret !== 'string' || body.client_secret_expires_at !== undefined) return response;
  return new Response(JSON.stringify({ ...body, client_secret_expires_at: 0 }), { status: response.status, headers: response.headers });
}

async function identity(record: ClientRecord, serverAuth: ServerAuthConfig | undefined): Promise<ClientIdentity> {
  const client: oauth.Client = { client_id: record.clientId, token_endpoint_auth_method: record.tokenEndpointAuthMethod };
  return { client, clientAuth: await clientAuthentication(record, serverAuth?.signingAlgorithm ?? 'ES256'), registeredBy: record.registeredBy };
}

export async function clientAuthentication(
  record: Pick<ClientRecord, 'clientSecret' | 'tokenEndpointAuthMethod'>,
  signingAlgorithm = 'ES256',
): Promise<oauth.ClientAuth> {
  switch (record.tokenEndpointAuthMethod) {
    case 'none':
      return oauth.None();
    case 'client_secret_post':
      return oauth.ClientSecretPost(record.clientSecret ?? '');
    case 'private_key_jwt': {
      // The "secret" of a private_key_jwt client is its PKCS#8 private key, kept in the keychain like any secret.
      // jose is loaded only for the rare private_key_jwt client.
      const { importPKCS8 } = await import('jose');
      const key = await importPKCS8(record.clientSecret ?? '', signingAlgorithm).catch((error: unknown) => {
        throw new SwitchboardError('AUTH_REGISTRATION_FAILED', `the stored private key is not a PKCS#8 ${signingAlgorithm} key`, { cause: error });
      });
      return oauth.PrivateKeyJwt({ key });
    }
    default:
      return clientSecretBasic(record.clientSecret ?? '');
  }
}

/**
 * RFC 6749 §2.3.1 Basic authentication. oauth4webapi's version also percent-encodes unreserved characters such as
 * "-", which authorization servers that do not decode the credentials reject; encodeURIComponent leaves those alone
 * and is still a valid form-urlencoding, so both kinds of server accept it.
 */
function clientSecretBasic(secret: string): oauth.ClientAuth {
  return (_as, client, _body, headers) => {
    const credentials = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`;
    headers.set('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
  };
}
