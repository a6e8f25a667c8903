// Which of a view's tools a client is listed directly when they do not all fit its budget: the pinned ones, then the most used.

/** Past this many, the direct set stops being "small": the rest is one search away. */
export const MAX_DIRECT_TOOLS = 20;

/** The meta-tools take two places in every budget that needs them. */
export const META_TOOL_COUNT = 2;

export interface ListingPlan {
  mode: 'all' | 'search';
  /** Exposed names listed as themselves, in the view's own order. */
  direct: string[];
  /** How many of the view's tools are reachable only through the search. */
  searchOnly: number;
}

/**
 * `names` is the view's tools in listing order; `uses` how often each was called. The result is stable: it changes
 * only when the tools, the pins, the budget or the usage snapshot change (the snapshot is refreshed on a timer, not
 * on every call), so a client's list does not churn between requests.
 */
export function planListing(
  names: readonly string[],
  options: { maxTools: number; forceSearch: boolean; pinned: readonly string[]; uses: (name: string) => number },
): ListingPlan {
  if (!options.forceSearch && names.length <= options.maxTools) return { mode: 'all', direct: [...names], searchOnly: 0 };
  const room = Math.max(0, Math.min(MAX_DIRECT_TOOLS, options.maxTools - META_TOOL_COUNT));
  const available = new Set(names);
  const chosen = new Set<string>();
  for (const name of options.pinned) {
    if (chosen.size >= room) break;
    if (available.has(name)) chosen.add(name);
  }
  const used = names.filter((name) => !chosen.has(name) && options.uses(name) > 0).sort((a, b) => options.uses(b) - options.uses(a) || a.localeCompare(b));
  for (const name of used) {
    if (chosen.size >= room) break;
    chosen.add(name);
  }
  const direct = names.filter((name) => chosen.has(name));
  return { mode: 'search', direct, searchOnly: names.length - direct.length };
}
