// SEP-2243 header values: the plain-or-Base64 rule, which x-mcp-header declarations count, and the Mcp-Param-* headers mirrored from a call's arguments.
import { describe, expect, it } from 'vitest';
import { declarationsByTool, encodeHeaderValue, headerDeclarations, mirroredParamHeaders } from '../../main/core/upstream/mcp-header-values.ts';

const base64 = (text: string) => `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;

describe('header value encoding', () => {
  it('sends visible ASCII as written, inner spaces included', () => {
    expect(encodeHeaderValue('us-west1')).toBe('us-west1');
    expect(encodeHeaderValue('us west 1')).toBe('us west 1');
    expect(encodeHeaderValue('')).toBe('');
  });

  it('wraps non-ASCII, control characters (tab and line breaks too), edge whitespace and sentinel look-alikes in Base64', () => {
    for (const value of ['Hello, 世界', 'line1\nline2', 'line1\r\nline2', '\tindented', ' padded ', 'trailing ', '=?base64?abc?='])
      expect(encodeHeaderValue(value), JSON.stringify(value)).toBe(base64(value));
  });
});

describe('x-mcp-header declarations', () => {
  it('finds declarations reached through properties, nested ones included', () => {
    const schema = {
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        where: { type: 'object', properties: { zone: { type: 'integer', 'x-mcp-header': 'Zone' } } },
      },
    };
    expect(headerDeclarations(schema)).toEqual([
      { path: ['region'], header: 'Region' },
      { path: ['where', 'zone'], header: 'Zone' },
    ]);
  });

  it.each([
    ['under items', { type: 'object', properties: { list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } } } }],
    ['under anyOf', { type: 'object', anyOf: [{ properties: { a: { type: 'string', 'x-mcp-header': 'A' } } }] }],
    ['on the root', { type: 'object', 'x-mcp-header': 'Root' }],
    ['not a token', { type: 'object', properties: { a: { type: 'string', 'x-mcp-header': 'Bad Name' } } }],
    ['on an object', { type: 'object', properties: { a: { type: 'object', 'x-mcp-header': 'Obj' } } }],
    [
      'repeated in another case',
      { type: 'object', properties: { a: { type: 'string', 'x-mcp-header': 'Region' }, b: { type: 'string', 'x-mcp-header': 'region' } } },
    ],
  ])('makes the whole definition invalid when one is %s', (_why, schema) => {
    expect(headerDeclarations(schema)).toBeUndefined();
    expect(declarationsByTool([{ name: 't', inputSchema: schema }]).has('t')).toBe(false);
  });
});

describe('mirrored Mcp-Param headers', () => {
  const schema = {
    type: 'object',
    properties: {
      region: { type: 'string', 'x-mcp-header': 'Region' },
      priority: { type: 'integer', 'x-mcp-header': 'Priority' },
      verbose: { type: 'boolean', 'x-mcp-header': 'Verbose' },
      note: { type: 'string', 'x-mcp-header': 'Note' },
      free: { type: 'number' },
    },
  };

  const declared = headerDeclarations(schema)!;

  it('mirrors each declared primitive argument, encoded, and nothing undeclared', () => {
    expect(mirroredParamHeaders(declared, { region: 'eu', priority: 42, verbose: false, note: 'café', free: 3.14 })).toEqual({
      'mcp-param-region': 'eu',
      'mcp-param-priority': '42',
      'mcp-param-verbose': 'false',
      'mcp-param-note': base64('café'),
    });
  });

  it('leaves out null, missing and non-primitive arguments, and integers JSON cannot carry exactly', () => {
    expect(mirroredParamHeaders(declared, { region: null, priority: 2 ** 60, verbose: { no: true } })).toEqual({});
    expect(mirroredParamHeaders(declared, undefined)).toEqual({});
  });

  it('are looked up per tool from declarations read once per listing, tools without any left out', () => {
    const byTool = declarationsByTool([
      { name: 'plain', inputSchema: { type: 'object', properties: { a: { type: 'string' } } } },
      { name: 'routed', inputSchema: schema },
    ]);
    expect([...byTool.keys()]).toEqual(['routed']);
    expect(mirroredParamHeaders(byTool.get('routed')!, { region: 'eu' })).toEqual({ 'mcp-param-region': 'eu' });
  });
});
