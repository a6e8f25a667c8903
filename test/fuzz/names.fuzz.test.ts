// Fuzzes exposed tool names: always client-safe, stable, distinct within a server, and never inside another server's namespace.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_ID_PATTERN } from '../../main/core/config/config-schema.ts';
import { exposedName } from '../../main/core/router/exposed-names.ts';
import { checkProperty, fuzzReport } from './fuzz-kit.ts';

const CLIENT_SAFE = /^[A-Za-z0-9_-]{1,64}$/;
const serverId = fc.stringMatching(SERVER_ID_PATTERN);
// Names upstream servers may send: anything, including crafted lookalikes, separators, unicode and huge lengths.
const toolName = fc.oneof(
  fc.string({ minLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
  fc.stringMatching(/^[A-Za-z0-9_.\-/ ]{1,120}$/),
);

describe('fuzzing exposed tool names', () => {
  afterAll(() => {
    console.log(fuzzReport());
  });

  it('every exposed name matches what clients enforce, and is the same every time', async () => {
    await checkProperty(
      'exposed names are client-safe and deterministic',
      [fc.oneof(serverId, fc.constant('')), toolName],
      (prefix, name) => {
        const exposed = exposedName(prefix, name);
        expect(exposed).toMatch(CLIENT_SAFE);
        expect(exposedName(prefix, name)).toBe(exposed);
      },
      5000,
    );
  });

  it('distinct tools of one server never share an exposed name', async () => {
    await checkProperty(
      'exposed names are distinct within a server',
      [serverId, fc.uniqueArray(toolName, { minLength: 2, maxLength: 40 })],
      (prefix, names) => {
        const exposed = names.map((name) => exposedName(prefix, name));
        expect(new Set(exposed).size).toBe(names.length);
      },
      2000,
    );
  });

  it("a server's tools always stay inside its own prefix, so a crafted name cannot land in another server's namespace", async () => {
    await checkProperty(
      'exposed names stay in their server namespace',
      [serverId, serverId, toolName, toolName],
      (first, second, firstName, secondName) => {
        fc.pre(first !== second && !`${first}_`.startsWith(`${second}_`) && !`${second}_`.startsWith(`${first}_`));
        const a = exposedName(first, firstName);
        const b = exposedName(second, secondName);
        expect(a.startsWith(`${first}_`)).toBe(true);
        expect(b.startsWith(`${second}_`)).toBe(true);
        expect(a).not.toBe(b);
      },
      5000,
    );
  });
});
