// The one reading of the status behind the badge, the pages and the tray: each server once, the worst state wins, "All good" only when it is.
import { describe, expect, it } from 'vitest';
import { summarizeStatus, type SummaryAuth, type SummaryServer } from '../../shared/status-summary.ts';

const MCP = 'http://127.0.0.1:43117/mcp';
const ready = (id: string): SummaryServer => ({ id, state: 'ready' });
const auth = (servers: SummaryAuth['servers'] = [], extra: Partial<SummaryAuth> = {}): SummaryAuth => ({
  sso: { configured: true, signedIn: true },
  servers,
  signingIn: [],
  ...extra,
});

describe('summarizeStatus', () => {
  it('says "All good" only when every server is ready and signed in', () => {
    const summary = summarizeStatus({
      mcpUrl: MCP,
      servers: [ready('wiki'), ready('crm')],
      auth: auth([
        { id: 'wiki', state: 'not-required' },
        { id: 'crm', state: 'signed-in' },
      ]),
    });
    expect(summary).toMatchObject({ level: 'ok', label: 'All good', attention: [] });
  });

  it('counts a server that needs sign-in once, even when its connection is also unavailable because of it', () => {
    const servers: SummaryServer[] = [
      { id: 'crm', state: 'unavailable', lastError: { code: 'AUTH_SIGN_IN_REQUIRED', message: 'sign in to crm' } },
      ready('wiki'),
    ];
    const summary = summarizeStatus({ mcpUrl: MCP, servers, auth: auth([{ id: 'crm', state: 'needs-sign-in' }]) });
    expect(summary.label).toBe('1 needs sign-in');
    expect(summary.level).toBe('attention');
    expect(summary.attention).toEqual(['crm: sign-in needed']);
    expect(summary.counts).toMatchObject({ 'needs-sign-in': 1, unavailable: 0, ready: 1 });
  });

  it('counts a server listed twice once, with its worst state', () => {
    const summary = summarizeStatus({
      mcpUrl: MCP,
      servers: [ready('wiki'), { id: 'wiki', state: 'unavailable', lastError: { code: 'UPSTREAM_UNREACHABLE', message: 'connection refused' } }],
    });
    expect(summary).toMatchObject({ label: '1 unavailable', level: 'problem', attention: ['wiki: connection refused'] });
  });

  it('puts the worst first and never says "All good" next to a broken server', () => {
    const servers: SummaryServer[] = [
      { id: 'a', state: 'unavailable', lastError: { code: 'UPSTREAM_UNREACHABLE', message: 'down' } },
      { id: 'b', state: 'unavailable', lastError: { code: 'AUTH_SSO_REQUIRED', message: 'company sign-in needed' } },
      { id: 'c', state: 'ready' },
    ];
    const summary = summarizeStatus({
      mcpUrl: MCP,
      servers,
      auth: auth([{ id: 'c', state: 'needs-sign-in' }], { sso: { configured: true, signedIn: false } }),
    });
    expect(summary.label).toBe('1 unavailable, 2 need sign-in');
    expect(summary.level).toBe('problem');
  });

  it('shows a sign-in waiting in the browser as busy, and a server waiting for the company sign-in as signing in too', () => {
    const servers: SummaryServer[] = [
      { id: 'finance', state: 'unavailable', lastError: { code: 'AUTH_SSO_REQUIRED', message: 'company sign-in needed' } },
      ready('wiki'),
    ];
    const summary = summarizeStatus({
      mcpUrl: MCP,
      servers,
      auth: auth([], { sso: { configured: true, signedIn: false }, signingIn: [{ target: 'sso', expiresAt: '2026-01-01T10:00:00Z' }] }),
    });
    expect(summary).toMatchObject({ level: 'busy', label: 'Signing in…' });
    expect(summary.servers.find((verdict) => verdict.id === 'finance')?.condition).toBe('signing-in');
  });

  it('asks for the company sign-in when nothing else is wrong and nobody is signed in', () => {
    expect(summarizeStatus({ mcpUrl: MCP, servers: [ready('wiki')], auth: auth([], { sso: { configured: true, signedIn: false } }) })).toMatchObject({
      level: 'attention',
      label: 'Company sign-in needed',
    });
  });

  it('says connecting while servers start, not running when stopped, and counts notices', () => {
    expect(summarizeStatus({ mcpUrl: MCP, servers: [{ id: 'wiki', state: 'connecting' }, ready('crm')] })).toMatchObject({
      level: 'busy',
      label: '1 connecting…',
    });
    expect(summarizeStatus({ mcpUrl: null, servers: [] })).toMatchObject({ level: 'stopped', label: 'Not running' });
    expect(summarizeStatus({ mcpUrl: MCP, servers: [] })).toMatchObject({ level: 'ok', label: 'No servers enabled' });
    expect(summarizeStatus({ mcpUrl: MCP, servers: [ready('wiki')], notices: ['Address changed'] })).toMatchObject({
      level: 'attention',
      label: '1 notice',
      attention: ['Address changed'],
    });
  });

  it('takes a ready connection whose token was dropped as needing sign-in (signed out, still connected)', () => {
    expect(summarizeStatus({ mcpUrl: MCP, servers: [ready('crm')], auth: auth([{ id: 'crm', state: 'failed' }]) }).label).toBe('1 needs sign-in');
  });
});
