// How many tools a local client may be listed: its own setting, else the company's, else what its AI client is known to accept, else a generous default.
import { MIN_MAX_TOOLS } from '../../config/tool-search-schema.ts';

export { MIN_MAX_TOOLS };

/**
 * Known tool limits of AI clients, by the id `switchboard clients setup` registers them under. `limit` is the
 * client's own ceiling; `reserved` is left for what the client lists besides Switchboard (its built-in tools).
 */
export const AI_CLIENT_TOOL_LIMITS: Readonly<Record<string, { limit: number; reserved: number; source: string }>> = {
  // GitHub Copilot refuses a request with more than 128 tools, its own built-in tools counted.
  vscode: { limit: 128, reserved: 48, source: 'GitHub Copilot: "You may not include more than 128 tools in your request", built-in tools included' },
  'vscode-insiders': { limit: 128, reserved: 48, source: 'GitHub Copilot in VS Code Insiders: the same 128-tool limit' },
  // Cursor sends only the first 40 tools to its agent.
  cursor: { limit: 40, reserved: 0, source: 'Cursor: only the first 40 MCP tools reach the agent' },
  // Windsurf's Cascade has access to at most 100 tools at a time.
  windsurf: { limit: 100, reserved: 0, source: 'Windsurf: Cascade has a limit of 100 total tools' },
  // Copilot's other hosts send their requests to the same service, with fewer built-in tools in the CLI.
  'visual-studio': { limit: 128, reserved: 48, source: 'GitHub Copilot in Visual Studio: the same 128-tool request limit' },
  'copilot-cli': { limit: 128, reserved: 24, source: 'GitHub Copilot CLI: the same 128-tool request limit, fewer built-in tools' },
  // The Gemini API refuses a request with more than 128 function declarations; Gemini CLI cuts its list there, its
  // built-in tools kept first, so MCP tools past the cut silently disappear.
  'gemini-cli': { limit: 128, reserved: 20, source: 'Gemini API: at most 128 function declarations per request; Gemini CLI keeps its built-ins first' },
  // OpenAI's API takes at most 128 tools in a request; Codex adds its own (shell, patch, plan, …).
  codex: { limit: 128, reserved: 16, source: "OpenAI API: at most 128 tools per request, Codex's built-in tools included" },
};

/**
 * For clients without a documented limit: every listed tool costs context tokens on every request, and models pick
 * worse from hundreds of tools, so past this many the search takes over.
 */
export const DEFAULT_MAX_TOOLS = 200;

export interface ToolBudget {
  maxTools: number;
  /** Where the number came from, for status and the UI. */
  source: 'client' | 'policy' | 'ai-client' | 'default';
  /** The company policy wants search mode even when the tools fit. */
  forceSearch: boolean;
}

/** What the configuration and the company policy say about tool budgets (config/tool-search-schema.ts). */
export interface BudgetPolicy {
  maxTools?: number | undefined;
  clients?: Readonly<Record<string, number>> | undefined;
  forceSearch?: boolean | undefined;
}

/**
 * The client's own setting wins unless the company's is smaller: a policy budget is a ceiling a person may lower,
 * never raise. A policy entry for the client beats the policy's general one.
 */
export function resolveToolBudget(clientId: string, ownMaxTools: number | undefined, policy: BudgetPolicy = {}): ToolBudget {
  const forceSearch = policy.forceSearch === true;
  const policyMax = policy.clients?.[clientId] ?? policy.maxTools;
  const known = AI_CLIENT_TOOL_LIMITS[clientId];
  const base: Omit<ToolBudget, 'forceSearch'> =
    ownMaxTools !== undefined
      ? { maxTools: ownMaxTools, source: 'client' }
      : known
        ? { maxTools: known.limit - known.reserved, source: 'ai-client' }
        : { maxTools: DEFAULT_MAX_TOOLS, source: 'default' };
  const capped = policyMax !== undefined && policyMax < base.maxTools ? { maxTools: policyMax, source: 'policy' as const } : base;
  return { maxTools: Math.max(MIN_MAX_TOOLS, capped.maxTools), source: capped.source, forceSearch };
}
