// The address rule for authorization fetches: which hosts are named, when loopback is allowed, and what each refusal says.
import { describe, expect, it } from 'vitest';
import { authGuardFor, namedHosts } from '../../main/core/auth/named-hosts.ts';
import { refusalFor } from '../../main/core/net/address-policy.ts';

describe('named hosts', () => {
  it('takes hosts from URLs and from lists, lower-cased, IPv6 without brackets; unparseable URLs add nothing', () => {
    expect(
      namedHosts({ urls: ['https://MCP.Corp.Test/mcp', 'http://[fd00::1]:8080/', 'not a url', undefined], hosts: ['Auth.Corp.Test', '[fd00::2]'] }),
    ).toEqual(new Set(['mcp.corp.test', 'fd00::1', 'auth.corp.test', 'fd00::2']));
  });

  it('a server’s guard names its own host, the extra URLs and the listed hosts; loopback only for a server on this machine', () => {
    const remote = authGuardFor('https://mcp.corp.test/mcp', { namedHosts: new Set(['auth.corp.test']) }, ['https://idp.corp.test/', undefined]);
    expect(remote.policy.privateHosts).toEqual(new Set(['mcp.corp.test', 'idp.corp.test', 'auth.corp.test']));
    expect(remote.policy.allowLoopback).toBe(false);
    expect(authGuardFor('http://127.0.0.1:3000/mcp', undefined).policy.allowLoopback).toBe(true);
    expect(authGuardFor('http://localhost:3000/mcp', undefined).policy.allowLoopback).toBe(true);
    expect(authGuardFor('http://[::1]:3000/mcp', undefined).policy.allowLoopback).toBe(true);
  });

  it('the rule: public always; private and link-local for named hosts only; loopback only by a loopback URL the policy allows; reserved never', () => {
    const policy = authGuardFor('https://mcp.corp.test/mcp', { namedHosts: new Set(['auth.corp.test']) }).policy;
    expect(refusalFor('93.184.216.34', 'anything.example', policy)).toBeUndefined();
    expect(refusalFor('10.0.0.5', 'mcp.corp.test', policy)).toBeUndefined();
    expect(refusalFor('169.254.10.1', 'auth.corp.test', policy)).toBeUndefined();
    expect(refusalFor('10.0.0.5', 'AUTH.CORP.TEST', policy)).toBeUndefined();
    expect(refusalFor('10.0.0.5', 'evil.example', policy)).toBe(
      'evil.example resolves to the private address 10.0.0.5, which only hosts named by the company policy, a server in your configuration or the configured identity provider may use',
    );
    expect(refusalFor('169.254.169.254', '169.254.169.254', policy)).toMatch(/^169\.254\.169\.254 is the link-local address, which only hosts named by/);
    expect(refusalFor('::ffff:10.0.0.1', 'mapped.example', policy)).toContain('private address ::ffff:10.0.0.1');
    // Named hosts get private addresses, not this machine's.
    expect(refusalFor('127.0.0.1', 'mcp.corp.test', policy)).toBe(
      'mcp.corp.test resolves to the loopback address 127.0.0.1; only a URL that names this machine may reach it',
    );
    expect(refusalFor('127.0.0.1', '127.0.0.1', policy)).toContain('was named by a server elsewhere');
    expect(refusalFor('127.0.0.1', '127.0.0.1', authGuardFor('http://127.0.0.1:1/mcp', undefined).policy)).toBeUndefined();
    expect(refusalFor('198.51.100.7', 'mcp.corp.test', policy)).toBe('mcp.corp.test resolves to the reserved address 198.51.100.7, which is never contacted');
  });

  it('discovery keeps its own wording and default: the company catalog names private hosts, loopback URLs are allowed', () => {
    const discovery = { privateHosts: new Set(['intranet.example.test']) };
    expect(refusalFor('10.1.2.3', 'other.example.test', discovery)).toContain('only hosts named by the company catalog');
    expect(refusalFor('127.0.0.1', 'localhost', discovery)).toBeUndefined();
  });
});
