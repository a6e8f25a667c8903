// Property-based fuzzing helpers: how many inputs a property runs (FUZZ_SCALE multiplies it) and a record of how many it ran.
import fc from 'fast-check';
import { SwitchboardError } from '../../main/core/errors.ts';
import { ERROR_CODES } from '../../shared/error-codes.ts';

const ran = new Map<string, number>();

/** The number of inputs for a property: its base count times FUZZ_SCALE (e.g. FUZZ_SCALE=20 for a long run on demand). */
export function inputsFor(base: number): number {
  return Math.max(1, Math.round(base * Number(process.env.FUZZ_SCALE ?? 1)));
}

/** Runs a property and records how many inputs it actually tried, so a report can say so (and a test can insist on it). */
export async function checkProperty<Ts extends [unknown, ...unknown[]]>(
  name: string,
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  predicate: (...args: Ts) => Promise<void> | void,
  base: number,
): Promise<number> {
  let count = 0;
  const numRuns = inputsFor(base);
  const property = fc.asyncProperty(...arbitraries, async (...args: Ts) => {
    count++;
    await predicate(...args);
  });
  await fc.assert(property as fc.IAsyncProperty<unknown>, { numRuns, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined });
  ran.set(name, count);
  return count;
}

/** What every property file prints at the end: each property's name and how many inputs it ran. */
export function fuzzReport(): string {
  return [...ran].map(([name, count]) => `fuzz: ${name}: ${count} inputs, no failure`).join('\n');
}

/** A rejection is acceptable only as a SwitchboardError with a known code and a message a person can read. */
export function expectClearError(error: unknown): SwitchboardError {
  if (!(error instanceof SwitchboardError))
    throw new Error(`expected a SwitchboardError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
  if (!(ERROR_CODES as readonly string[]).includes(error.code)) throw new Error(`unknown error code ${error.code}`);
  if (error.message.trim().length < 10) throw new Error(`error ${error.code} has no useful message: "${error.message}"`);
  return error;
}
