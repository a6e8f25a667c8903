// What a person reviews and approves: each held tool's old and new definition, shown with hidden content made visible, and the approval itself.
import type { Tool } from '@modelcontextprotocol/server';
import { SwitchboardError } from '../errors.ts';
import type { HeldDefinition, ToolPinStore } from './pin-store.ts';
import { revealHidden } from './text-sanitiser.ts';
import { canonicalJson } from './tool-digest.ts';
import { sanitiseTool, type SanitisedField } from './tool-sanitiser.ts';

/** A definition as a reviewer reads it: every text with hidden characters shown as ⟨U+XXXX⟩ markers, schemas as indented JSON. */
export interface ReviewedDefinition {
  digest: string;
  title?: string;
  description?: string;
  inputSchema: string;
  outputSchema?: string;
  annotations?: string;
}

export interface HeldToolReview {
  server: string;
  tool: string;
  /** "changed": a definition of it was approved before; "new": the server did not offer it when approved. */
  change: 'changed' | 'new';
  /** When Switchboard first saw this definition (ISO time). */
  seenAt: string;
  old?: ReviewedDefinition;
  new: ReviewedDefinition;
  /** The pinned fields that differ between old and new (all of the new one's for a new tool). */
  changedFields: string[];
  /** Hidden content in the new definition, which clients never see (it is removed before they do). */
  hidden: SanitisedField[];
}

/** An approved tool whose definition had hidden content: clients get it cleaned, and the person should know. */
export interface CleanedTool {
  server: string;
  tool: string;
  digest: string;
  hidden: SanitisedField[];
}

export interface ApprovedTool {
  server: string;
  tool: string;
  oldDigest: string | null;
  newDigest: string;
}

const REVIEWED_FIELDS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;

export function reviewHeldTools(store: ToolPinStore, server?: string): HeldToolReview[] {
  return store.held(server).map(toReview);
}

export function cleanedTools(store: ToolPinStore, server?: string): CleanedTool[] {
  return store
    .flaggedApproved(server)
    .map(({ server: owner, tool, digest, findings }) => ({ server: owner, tool, digest, hidden: findings as SanitisedField[] }));
}

/**
 * Approves the held definitions of `server` (all of them, or the tools named), as they are held now, in one
 * transaction. A name that is not held is refused before anything is approved, so a typo approves nothing.
 */
export function approveHeldTools(store: ToolPinStore, server: string, tools: readonly string[], by: 'app' | 'cli'): ApprovedTool[] {
  return store.transaction(() => {
    const held = store.held(server);
    const missing = tools.filter((tool) => !held.some((entry) => entry.tool === tool));
    if (missing.length) {
      const heldNames = held.map((entry) => entry.tool);
      throw new SwitchboardError(
        'ROUTER_UNKNOWN_TOOL',
        `nothing is held for review as ${missing.map((tool) => `"${tool}"`).join(', ')} of the server "${server}"; ${heldNames.length ? `held there: ${heldNames.join(', ')}` : 'none of its tools is held'} (\`switchboard tools review\` lists every held tool)`,
      );
    }
    const chosen = tools.length ? held.filter((entry) => tools.includes(entry.tool)) : held;
    for (const entry of chosen) store.approve(server, entry.tool, { digest: entry.digest, definition: entry.definition }, by);
    return chosen.map((entry) => ({ server, tool: entry.tool, oldDigest: entry.previous?.digest ?? null, newDigest: entry.digest }));
  });
}

function toReview(entry: HeldDefinition): HeldToolReview {
  const previous = entry.previous?.definition;
  // Canonical, so keys sent in another order are not a change (the digest agrees).
  const changedFields = REVIEWED_FIELDS.filter((field) => canonicalJson(previous?.[field]) !== canonicalJson(entry.definition[field]));
  return {
    server: entry.server,
    tool: entry.tool,
    change: entry.previous ? 'changed' : 'new',
    seenAt: entry.seenAt,
    ...(entry.previous ? { old: reviewed(entry.previous.definition, entry.previous.digest) } : {}),
    new: reviewed(entry.definition, entry.digest),
    changedFields,
    hidden: sanitiseTool(entry.definition).findings,
  };
}

function reviewed(tool: Tool, digest: string): ReviewedDefinition {
  const json = (value: unknown) => revealHidden(JSON.stringify(value, null, 2));
  return {
    digest,
    ...(tool.title !== undefined ? { title: revealHidden(tool.title) } : {}),
    ...(tool.description !== undefined ? { description: revealHidden(tool.description) } : {}),
    inputSchema: json(tool.inputSchema),
    ...(tool.outputSchema !== undefined ? { outputSchema: json(tool.outputSchema) } : {}),
    ...(tool.annotations !== undefined ? { annotations: json(tool.annotations) } : {}),
  };
}
