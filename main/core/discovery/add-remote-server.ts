// Adds a remote server to the configuration from its (possibly templated) URL and its card: what it asks for, what was given, secrets to the keychain.
import { ConfigEditor } from '../config/config-editor.ts';
import type { SwitchboardConfig } from '../config/config-schema.ts';
import { SwitchboardError } from '../errors.ts';
import { vaultAccounts } from '../vault/vault.ts';
import { discoverCards } from './card-discovery.ts';
import { policyRefusal, type CompanyPolicy } from './company-policy.ts';
import type { ServerCard } from './server-card.ts';

/** One value a templated remote needs: a URL variable, or a header (a secret one goes to the keychain). */
export interface RemoteInput {
  kind: 'variable' | 'header';
  name: string;
  description?: string;
  required: boolean;
  secret: boolean;
  default?: string;
}

function remoteOf(card: ServerCard | undefined, url: string) {
  return card?.remotes?.find((candidate) => candidate.url === url) ?? card?.remotes?.[0];
}

/** What the card says this remote needs from the person; URL variables come from the template even without a card. */
export function remoteInputs(card: ServerCard | undefined, url: string): RemoteInput[] {
  const remote = remoteOf(card, url);
  const inputs: RemoteInput[] = [...url.matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
    const variable = remote?.variables?.[name!];
    return {
      kind: 'variable',
      name: name!,
      required: variable?.isRequired ?? true,
      secret: variable?.isSecret ?? false,
      ...(variable?.description ? { description: variable.description } : {}),
      ...(variable?.default ? { default: variable.default } : {}),
    };
  });
  for (const header of remote?.headers ?? []) {
    // A fixed, non-secret value needs nothing from the person.
    if (!header.isSecret && header.value !== undefined && !/\{[^}]+\}/.test(header.value)) continue;
    inputs.push({
      kind: 'header',
      name: header.name,
      required: header.isRequired ?? false,
      secret: header.isSecret ?? false,
      ...(header.description ? { description: header.description } : {}),
      ...(header.default ? { default: header.default } : {}),
    });
  }
  return inputs;
}

export interface AddRemoteServerRequest {
  /** The remote's URL as the card or the person gives it, e.g. https://{tenant}.example.com/mcp. */
  url: string;
  /** Values by input: `var:<name>` and `header:<Name>`. */
  values: Record<string, string>;
  id?: string;
  title?: string;
}

export interface AddRemoteServerDeps {
  configPath: string;
  config: SwitchboardConfig;
  policy: CompanyPolicy;
  setSecret: (account: string, value: string) => Promise<void>;
  /** The card for a resolved URL, when discovery finds one (it is advisory). */
  findCard?: (url: string) => Promise<{ card: ServerCard; from: string } | undefined>;
}

export async function addRemoteServer(request: AddRemoteServerRequest, deps: AddRemoteServerDeps): Promise<{ id: string; url: string }> {
  const resolved = request.url.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = request.values[`var:${name}`];
    if (value === undefined || value === '') throw new SwitchboardError('CONFIG_INVALID', `the URL ${request.url} needs a value for "${name}"`);
    return encodeURIComponent(value);
  });
  const refusal = policyRefusal(deps.policy, resolved);
  if (refusal) throw new SwitchboardError('POLICY_DENIED', refusal);
  const found = await (deps.findCard ?? defaultFindCard(deps.policy))(resolved).catch(() => undefined);
  const card = found?.card;
  const remote = remoteOf(card, request.url);
  const headers: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const header of remote?.headers ?? []) {
    const given = request.values[`header:${header.name}`];
    const value = given ?? (header.isSecret ? undefined : (header.value ?? header.default));
    if (value === undefined || value === '') {
      if (header.isRequired)
        throw new SwitchboardError(
          'CONFIG_INVALID',
          `${card?.title ?? resolved} needs the header ${header.name}${header.description ? ` (${header.description})` : ''}`,
        );
      continue;
    }
    if (header.isSecret) secrets[header.name] = value;
    else headers[header.name] = value;
  }
  // Headers given beyond what the card lists (or without a card): secret when the caller marked them so.
  for (const [key, value] of Object.entries(request.values)) {
    const name = key.startsWith('header:') ? key.slice(7) : key.startsWith('secret-header:') ? key.slice(14) : undefined;
    if (!name || name in headers || name in secrets) continue;
    if (key.startsWith('secret-header:')) secrets[name] = value;
    else headers[name] = value;
  }
  const id = request.id ?? idFrom(card, resolved);
  if (deps.config.servers.some((server) => server.id === id))
    throw new SwitchboardError('CONFIG_INVALID', `a server with the id "${id}" exists; choose another id`);
  for (const [name, value] of Object.entries(secrets)) await deps.setSecret(vaultAccounts.serverHeader(id, name), value);
  const title = request.title ?? card?.title;
  await new ConfigEditor(deps.configPath).addServer({
    id,
    url: resolved,
    ...(title ? { title } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(Object.keys(secrets).length ? { secretHeaders: Object.keys(secrets) } : {}),
    ...(found ? { source: found.from } : {}),
  });
  return { id, url: resolved };
}

function defaultFindCard(policy: CompanyPolicy) {
  return async (url: string) => {
    const found = await discoverCards(url, { policy: { privateHosts: new Set(policy.privateHosts.map((host) => host.toLowerCase())) } });
    return found.cards[0] ? { card: found.cards[0].card, from: found.cards[0].from } : undefined;
  };
}

export function idFrom(card: ServerCard | undefined, url: string): string {
  const base = card?.name.split('/')[1] ?? new URL(url).hostname.split('.')[0] ?? 'server';
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 32) || 'server'
  );
}
