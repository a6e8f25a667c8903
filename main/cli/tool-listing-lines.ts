// `switchboard status`'s tool-budget lines: per client, how many tools it saw directly and through the search at its last listing.
import type { SwitchboardStatus } from '../core/index.ts';

const SOURCES: Record<string, string> = {
  client: 'its own setting',
  policy: 'the company policy',
  'ai-client': "its AI client's limit",
  default: 'the default',
};

export function toolListingLines(status: Pick<SwitchboardStatus, 'toolListings'>): string[] {
  const listings = status.toolListings ?? [];
  if (listings.length === 0) return [];
  const lines = ['Tools per client (at its last listing)'];
  for (const listing of listings) {
    const budget = `budget ${listing.budget.maxTools} (${SOURCES[listing.budget.source] ?? listing.budget.source}${listing.budget.forceSearch ? ', search forced' : ''})`;
    const seen =
      listing.mode === 'all' ? `all ${listing.direct} listed directly` : `${listing.direct} directly + 2 search tools, ${listing.throughSearch} through search`;
    lines.push(`  ${listing.client.padEnd(16)} ${seen}; ${budget}`);
  }
  return lines;
}
