// What one server offers right now (from its cached lists), cut to the names and texts the UI's server detail view shows.
import { SwitchboardError } from '../errors.ts';
import { exposedName } from '../router/exposed-names.ts';
import type { ServerSelfDescription } from '../upstream/server-self-description.ts';
import { findUpstream, type Upstream } from './upstreams.ts';

export interface ServerOffer {
  /** `exposedName`: the name clients see through Switchboard (the server's prefix and the tool's name). */
  tools: { name: string; exposedName: string; title?: string; description?: string }[];
  prompts: { name: string; exposedName: string; description?: string }[];
  resources: { uri: string; name?: string }[];
  /** What the server said about itself when it connected (absent until it has). */
  live?: ServerSelfDescription;
}

export async function describeServerOffer(upstreams: readonly Upstream[], serverId: string): Promise<ServerOffer> {
  const upstream = findUpstream(upstreams, serverId);
  if (!upstream) throw new SwitchboardError('CONFIG_INVALID', `the server "${serverId}" is not enabled; enable it to see what it offers`);
  const [tools, prompts, resources] = await Promise.all([
    upstream.connection.list('tools'),
    upstream.connection.list('prompts'),
    upstream.connection.list('resources'),
  ]);
  const live = upstream.connection.selfDescription();
  return {
    ...(live ? { live } : {}),
    tools: (tools as { name: string; title?: unknown; description?: unknown }[]).map((tool) => ({
      name: tool.name,
      exposedName: exposedName(upstream.prefix, tool.name),
      ...textField('title', tool.title),
      ...textField('description', tool.description),
    })),
    prompts: (prompts as { name: string; description?: unknown }[]).map((prompt) => ({
      name: prompt.name,
      exposedName: exposedName(upstream.prefix, prompt.name),
      ...textField('description', prompt.description),
    })),
    resources: (resources as { uri: string; name?: unknown }[]).map((resource) => ({ uri: resource.uri, ...textField('name', resource.name) })),
  };
}

/** A server's lists are not trusted to be well-formed: a field is kept only when it is a non-empty string. */
function textField<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value ? ({ [key]: value } as Record<K, string>) : {};
}
