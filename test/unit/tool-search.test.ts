// Tool search in isolation: text analysis, the FTS5 index, budgets, the listing plan, the meta-tools' argument checks.
import type { Tool } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { applyCompanyPolicy } from '../../main/core/config/apply-policy.ts';
import { companyPolicySchema } from '../../main/core/config/company-policy-schema.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { combineToolSearch } from '../../main/core/config/tool-search-schema.ts';
import { planListing } from '../../main/core/router/tool-search/listing-plan.ts';
import {
  argumentProblems,
  auditedToolName,
  CALL_TOOL_NAME,
  parseCallArguments,
  parseSearchArguments,
  SEARCH_TOOL_NAME,
} from '../../main/core/router/tool-search/meta-tools.ts';
import { rerankedNames, rerankRequest } from '../../main/core/router/tool-search/sampling-rerank.ts';
import { resolveToolBudget } from '../../main/core/router/tool-search/tool-budget.ts';
import { actionClasses } from '../../main/core/router/tool-search/action-verbs.ts';
import { DEFAULT_WEIGHTS, ToolSearchIndex, type IndexedTool, type Thesaurus } from '../../main/core/router/tool-search/tool-index.ts';
import { ToolSearchRouter } from '../../main/core/router/tool-search/tool-search-router.ts';
import type { CallOptions, GatewayRouter } from '../../main/core/router/gateway-router.ts';
import { ALL_TEXT_STEPS, queryWords, splitIdentifier } from '../../main/core/router/tool-search/tool-text.ts';
import { softwareSynonyms, thesaurusOf } from '../../main/core/router/tool-search/software-thesaurus.ts';

const tool = (name: string, description: string, properties: Tool['inputSchema']['properties'] = {}, required: string[] = []): Tool => ({
  name,
  description,
  inputSchema: { type: 'object', properties, ...(required.length ? { required } : {}) },
});

const catalog: IndexedTool[] = [
  {
    name: 'github_create_issue',
    server: 'github',
    tool: tool('create_issue', 'Create a new issue in a GitHub repository.', { title: { type: 'string', description: 'Issue title' } }),
  },
  { name: 'github_list_pull_requests', server: 'github', tool: tool('list_pull_requests', 'List pull requests in a GitHub repository.') },
  { name: 'fs_create_directory', server: 'fs', tool: tool('create_directory', 'Create a new directory on disk.', { path: { type: 'string' } }) },
  { name: 'fs_read_text_file', server: 'fs', tool: tool('read_text_file', 'Read the complete contents of a file as text.') },
  {
    name: 'cal_createReservation',
    server: 'cal',
    tool: tool('createReservation', 'Books a table at a restaurant.', { partySize: { type: 'integer', description: 'How many guests' } }),
  },
];

describe('tool text', () => {
  it('splits snake, kebab, dotted and camel case names into words', () => {
    expect(splitIdentifier('create_pull_request')).toBe('create pull request');
    expect(splitIdentifier('getFileContents')).toBe('get file contents');
    expect(splitIdentifier('HTTPServer2Go')).toBe('http server 2 go');
    expect(splitIdentifier('kiali.get-logs')).toBe('kiali get logs');
  });

  it('keeps only the words of a request, lower-case, once each, never its punctuation', () => {
    expect(queryWords('Please show me the OPEN issues, open issues!')).toEqual(['show', 'open', 'issues']);
    expect(queryWords('NEAR( "a" OR b* ) AND -c: ^d')).toEqual(['near', 'b', 'c', 'd']);
    expect(queryWords('tell me about AS13335')).toEqual(['as13335', 'as', '13335']);
    expect(queryWords('tell me about AS13335', { ...ALL_TEXT_STEPS, splitCodes: false })).toEqual(['as13335']);
    expect(queryWords('x '.repeat(10) + Array.from({ length: 100 }, (_, index) => `w${index}`).join(' '))).toHaveLength(32);
  });
});

describe('the search index', () => {
  it('finds a tool by intent, over its name, description and parameters', () => {
    const index = new ToolSearchIndex();
    index.sync(catalog);
    expect(index.search('report a bug as a GitHub ticket', { limit: 1 })[0]?.name).toBe('github_create_issue');
    expect(index.search('make a folder', { limit: 1 })[0]?.name).toBe('fs_create_directory');
    expect(index.search('reservation for four guests', { limit: 1 })[0]?.name).toBe('cal_createReservation');
    expect(index.search('the of and', { limit: 5 })).toEqual([]);
    index.close();
  });

  it('treats FTS5 syntax in a request as words', () => {
    const index = new ToolSearchIndex();
    index.sync(catalog);
    expect(() => index.search('"unbalanced NEAR(issue OR) * ^ {col}: AND', { limit: 5 })).not.toThrow();
    index.close();
  });

  it('follows the tool list: changed definitions are indexed again, removed tools disappear', () => {
    const index = new ToolSearchIndex();
    index.sync(catalog);
    expect(index.size).toBe(5);
    const changed = catalog
      .map((entry) => (entry.name === 'fs_read_text_file' ? { ...entry, tool: tool('read_text_file', 'Show an image from disk.') } : entry))
      .filter((entry) => entry.name !== 'github_create_issue');
    index.sync(changed);
    expect(index.size).toBe(4);
    expect(index.search('create issue', { limit: 5 }).map((hit) => hit.name)).not.toContain('github_create_issue');
    expect(index.search('image', { limit: 1 })[0]?.name).toBe('fs_read_text_file');
    index.close();
  });

  it('lets past use lift one of two equal matches', () => {
    const twins: IndexedTool[] = [
      { name: 'a_send_message', server: 'a', tool: tool('send_message', 'Send a chat message.') },
      { name: 'b_send_message', server: 'b', tool: tool('send_message', 'Send a chat message.') },
    ];
    const index = new ToolSearchIndex();
    index.sync(twins);
    expect(index.search('send a chat message', { limit: 2 })[0]?.name).toBe('a_send_message');
    expect(index.search('send a chat message', { limit: 2, uses: (name) => (name === 'b_send_message' ? 12 : 0) })[0]?.name).toBe('b_send_message');
    index.close();
  });
});

describe('ranking pieces', () => {
  // Unrelated tools, so that a word in two of the tools above is not in most of the catalog (BM25 would floor its worth).
  const others: IndexedTool[] = [
    'send_mail:Send an email.',
    'get_weather:Weather for a city.',
    'make_folder:Create a folder on disk.',
    'run_query:Run an SQL query.',
  ].map((entry) => {
    const [name, description] = entry.split(':') as [string, string];
    return { name: `a_${name}`, server: 'a', tool: tool(name, description) };
  });
  // Two near-siblings: the description of the second says "list" and "issues" more often, the name of the first says them.
  const siblings: IndexedTool[] = [
    {
      name: 'gh_list_issues',
      server: 'gh',
      tool: tool('list_issues', 'Open issues of a repository, newest first, with their labels, milestones, assignees and comments.'),
    },
    {
      name: 'gh_update_issue_state',
      server: 'gh',
      tool: tool('update_issue_state', 'Open or close issues: list open issues, pick from the list of open issues.'),
    },
    ...others,
  ];
  const thesaurus = (groups: string[][]): Thesaurus => {
    const related = new Map<string, string[]>();
    for (const group of groups) for (const word of group) related.set(word, [...(related.get(word) ?? []), ...group.filter((other) => other !== word)]);
    return { related: (word) => related.get(word) ?? [], words: [...related.keys()] };
  };

  it('name-coverage lift: a tool whose name the request spells out ranks above a sibling whose description repeats the words', () => {
    const without = new ToolSearchIndex({ related: undefined, expand: undefined, nameCoverage: 0 });
    without.sync(siblings);
    expect(without.search('list open issues', { limit: 2 })[0]?.name).toBe('gh_update_issue_state');
    without.close();
    const index = new ToolSearchIndex({ related: undefined, expand: undefined });
    index.sync(siblings);
    expect(index.search('list open issues', { limit: 2 })[0]?.name).toBe('gh_list_issues');
    index.close();
  });

  it('name-coverage lift: a related word of the request covers a name word at relatedCoverage, and none when it is 0', () => {
    const related = thesaurus([['tickets', 'issues']]);
    const covering = new ToolSearchIndex({ related, expand: related, relatedCoverage: 1 });
    covering.sync(siblings);
    const notCovering = new ToolSearchIndex({ related, expand: related, relatedCoverage: 0 });
    notCovering.sync(siblings);
    const score = (index: ToolSearchIndex) => index.search('list tickets', { limit: 2 }).find((hit) => hit.name === 'gh_list_issues')!.score;
    expect(score(covering)).toBeGreaterThan(score(notCovering));
    covering.close();
    notCovering.close();
  });

  it('lexical field: its words find a tool, but never change the worth of the words a tool has itself', () => {
    const tools: IndexedTool[] = [
      { name: 'cal_reserve_table', server: 'cal', tool: tool('reserve_table', 'Reserve a table at a restaurant.') },
      { name: 'lib_book_search', server: 'lib', tool: tool('book_search', 'Search the library for a book.') },
    ];
    const plain = new ToolSearchIndex({ related: undefined, expand: undefined });
    plain.sync(tools);
    const lexical = thesaurus([['reserve', 'book']]);
    const withLexical = new ToolSearchIndex({ related: undefined, expand: undefined, lexical, weights: { ...DEFAULT_WEIGHTS, lexical: 0.1 } });
    withLexical.sync(tools);
    expect(plain.search('book', { limit: 2 }).map((hit) => hit.name)).toEqual(['lib_book_search']);
    const hits = withLexical.search('book', { limit: 2 });
    expect(hits.map((hit) => hit.name)).toEqual(['lib_book_search', 'cal_reserve_table']);
    // "book" is now in both tools' text, but its document frequency for the tool's own words is still one tool.
    expect(hits[0]!.score).toBeCloseTo(plain.search('book', { limit: 1 })[0]!.score, 10);
    plain.close();
    withLexical.close();
  });

  it('pseudo-relevance feedback: words of the first tools found bring in a tool the request does not name', () => {
    const tools: IndexedTool[] = [
      { name: 'k_pods_log', server: 'k', tool: tool('pods_log', 'Print the container output of a pod.') },
      { name: 'k_container_output', server: 'k', tool: tool('stream', 'Stream container output continuously.') },
      { name: 'k_nodes', server: 'k', tool: tool('nodes', 'Nodes of the cluster.') },
      ...others,
    ];
    const without = new ToolSearchIndex({ related: undefined, expand: undefined, feedbackWeight: 0 });
    without.sync(tools);
    expect(without.search('pods log', { limit: 3 }).map((hit) => hit.name)).toEqual(['k_pods_log']);
    without.close();
    const index = new ToolSearchIndex({ related: undefined, expand: undefined, feedbackWeight: 0.5, feedbackDocuments: 1 });
    index.sync(tools);
    expect(index.search('pods log', { limit: 2 }).map((hit) => hit.name)).toEqual(['k_pods_log', 'k_container_output']);
    index.close();
  });

  it("lead field: when turned on, a word in the description's first sentence counts for more than the same word later", () => {
    // The same words in texts of the same length: BM25 ties them, and a tie goes by name.
    const tools: IndexedTool[] = [
      { name: 'a_describe', server: 'a', tool: tool('describe', 'Describe the cluster. Its nodes.') },
      { name: 'b_describe', server: 'b', tool: tool('describe', 'Describe nodes of the cluster.') },
    ];
    const first = (lead: number) => {
      const index = new ToolSearchIndex({ related: undefined, expand: undefined, weights: { ...DEFAULT_WEIGHTS, lead } });
      index.sync(tools);
      const name = index.search('nodes', { limit: 2 })[0]?.name;
      index.close();
      return name;
    };
    expect(first(0)).toBe('a_describe');
    expect(first(0.5)).toBe('b_describe');
  });

  it('thesaurus: an "un-" word it lacks whose rest it knows undoes that word; other "un" words get nothing', () => {
    expect(softwareSynonyms('unstar')).toEqual(['star', 'remove', 'stop', 'undo']);
    expect(softwareSynonyms('unroute')).toContain('route');
    expect(softwareSynonyms('unresolve')).toEqual(['reopen']);
    expect(softwareSynonyms('under')).toEqual([]);
    expect(thesaurusOf(['star favorite'], { undo: false }).related('unstar')).toEqual([]);
  });

  it('thesaurus: a word in several groups is related to the words of all of them', () => {
    const related = thesaurusOf(['remember store', 'remember memory'], { undo: false });
    expect([...related.related('remember')].sort()).toEqual(['memory', 'store']);
    expect(related.related('memory')).toEqual(['remember']);
  });

  it('a code of letters and digits in the request finds the tool named by its letters, even when they are a stop word', () => {
    const tools: IndexedTool[] = [{ name: 'r_get_as_details', server: 'r', tool: tool('get_as_details', 'Get Autonomous System details by ASN.') }, ...others];
    const index = new ToolSearchIndex();
    index.sync(tools);
    expect(index.search('tell me about AS13335', { limit: 1 })[0]?.name).toBe('r_get_as_details');
    index.close();
  });

  it('action classes: request words and tool-name words map to read, list, search, create, delete and update', () => {
    expect([...actionClasses(['fetch'])]).toEqual(['read']);
    expect([...actionClasses(['show'])].sort()).toEqual(['list', 'read']);
    expect([...actionClasses(['drop', 'table'])]).toEqual(['delete']);
    expect([...actionClasses(['rename'])]).toEqual(['update']);
    expect(actionClasses(['issue', 'ticket']).size).toBe(0);
  });

  it('action classes: when turned on, a sibling whose name names the asked action is lifted above one that names another', () => {
    const tools: IndexedTool[] = [
      { name: 'x_delete_note', server: 'x', tool: tool('delete_note', 'A note.') },
      { name: 'x_get_note', server: 'x', tool: tool('get_note', 'A note.') },
    ];
    const index = new ToolSearchIndex({ related: undefined, expand: undefined, actionMatch: 0.1, actionMismatch: 0.1 });
    index.sync(tools);
    expect(index.search('fetch the note', { limit: 2 })[0]?.name).toBe('x_get_note');
    expect(index.search('drop the note', { limit: 2 })[0]?.name).toBe('x_delete_note');
    index.close();
  });
});

describe('tool budgets', () => {
  it('takes the client’s own setting, else its AI client’s known limit, else the default; a policy is a ceiling', () => {
    expect(resolveToolBudget('cursor', undefined)).toEqual({ maxTools: 40, source: 'ai-client', forceSearch: false });
    expect(resolveToolBudget('vscode', undefined).maxTools).toBeLessThan(128);
    expect(resolveToolBudget('my-agent', undefined)).toEqual({ maxTools: 200, source: 'default', forceSearch: false });
    expect(resolveToolBudget('cursor', 30)).toEqual({ maxTools: 30, source: 'client', forceSearch: false });
    expect(resolveToolBudget('cursor', 30, { maxTools: 20 })).toEqual({ maxTools: 20, source: 'policy', forceSearch: false });
    expect(resolveToolBudget('cursor', 10, { maxTools: 20, clients: { cursor: 25 }, forceSearch: true })).toEqual({
      maxTools: 10,
      source: 'client',
      forceSearch: true,
    });
  });

  it('lists everything that fits; over budget, pinned then most used, within the room left by the two meta-tools', () => {
    const names = Array.from({ length: 50 }, (_, index) => `t${String(index).padStart(2, '0')}`);
    const uses = (name: string) => ({ t10: 5, t20: 9, t30: 1 })[name] ?? 0;
    expect(planListing(names, { maxTools: 50, forceSearch: false, pinned: [], uses }).mode).toBe('all');
    expect(planListing(names, { maxTools: 5, forceSearch: false, pinned: ['t40', 'gone'], uses })).toEqual({
      mode: 'search',
      direct: ['t10', 't20', 't40'],
      searchOnly: 47,
    });
    expect(planListing(names, { maxTools: 100, forceSearch: true, pinned: [], uses }).direct).toEqual(['t10', 't20', 't30']);
    expect(planListing(names, { maxTools: 2, forceSearch: false, pinned: ['t40'], uses }).direct).toEqual([]);
  });
});

describe('tool budgets in the configuration and the company policy', () => {
  it('holds a person to the company’s budgets: the smaller wins, its pins come first, its forced search stays', () => {
    expect(
      combineToolSearch(
        { maxTools: 80, clients: { cursor: 30 }, pinned: ['mine'] },
        { maxTools: 50, clients: { vscode: 60 }, pinned: ['theirs'], forceSearch: true },
      ),
    ).toEqual({
      maxTools: 50,
      clients: { cursor: 30, vscode: 60 },
      pinned: ['theirs', 'mine'],
      forceSearch: true,
    });
    expect(combineToolSearch(undefined, { maxTools: 50 })).toEqual({ maxTools: 50 });
    expect(combineToolSearch({ maxTools: 50 }, undefined)).toEqual({ maxTools: 50 });
  });

  it('reaches the running configuration through the policy file', () => {
    const policy = companyPolicySchema.parse({ toolSearch: { maxTools: 64, pinned: ['github_create_issue'] } });
    const { config } = applyCompanyPolicy(configSchema.parse({ toolSearch: { maxTools: 100 } }), policy);
    expect(config.toolSearch).toEqual({ maxTools: 64, pinned: ['github_create_issue'] });
    expect(() => companyPolicySchema.parse({ toolSearch: { maxTools: 1 } })).toThrow();
  });
});

describe('the client model’s reordering', () => {
  it('asks with the task and each candidate’s first sentence, and reads back only candidate names', () => {
    const request = rerankRequest('merge my PR', [tool('gh_merge', 'Merge a pull request. Squash or rebase.'), tool('gh_close', 'Close it.')]);
    expect(JSON.stringify(request.params)).toContain('- gh_merge: Merge a pull request.');
    expect(JSON.stringify(request.params)).not.toContain('Squash');
    const candidates = ['a_one', 'a_two', 'a_three'];
    expect(rerankedNames({ content: { type: 'text', text: '- `a_three`\n2. a_one.\nnot_a_tool' } }, candidates)).toEqual(['a_three', 'a_one', 'a_two']);
    expect(rerankedNames({ content: [{ type: 'text', text: 'a_two' }] }, candidates)).toEqual(['a_two', 'a_one', 'a_three']);
    expect(rerankedNames({ content: { type: 'text', text: 'none of these' } }, candidates)).toBeUndefined();
    expect(rerankedNames({ code: -32601, message: 'no' }, candidates)).toBeUndefined();
    expect(rerankedNames(undefined, candidates)).toBeUndefined();
  });
});

describe('the meta-tools’ arguments', () => {
  it('refuses an empty, a missing or a 10 kB query, and a bad limit, with a message that says what to send', () => {
    for (const args of [{ query: '' }, { query: '   ' }, {}, { query: 'x'.repeat(10_240) }, { query: 'ok', limit: 0 }, { query: 'ok', limit: 2.5 }]) {
      const parsed = parseSearchArguments(args);
      expect(parsed.ok, JSON.stringify(args).slice(0, 40)).toBe(false);
      if (!parsed.ok) expect(parsed.error.isError).toBe(true);
    }
    const long = parseSearchArguments({ query: 'x'.repeat(10_240) });
    expect(!long.ok && JSON.stringify(long.error)).toContain('10240 characters');
    expect(parseSearchArguments({ query: 'list issues' })).toEqual({ ok: true, value: { query: 'list issues', limit: 5 } });
  });

  it('refuses a call without a name, of a meta-tool, or with arguments that are not an object', () => {
    expect(parseCallArguments({}).ok).toBe(false);
    expect(parseCallArguments({ name: SEARCH_TOOL_NAME }).ok).toBe(false);
    expect(parseCallArguments({ name: 'x', arguments: [1] }).ok).toBe(false);
    expect(parseCallArguments({ name: 'x', arguments: 'a=1' }).ok).toBe(false);
    expect(parseCallArguments({ name: 'x', arguments: { a: 1 } })).toEqual({ ok: true, value: { name: 'x', arguments: { a: 1 } } });
  });

  it('checks arguments against the tool’s schema, naming the field and the rule', () => {
    const createIssue = tool('github_create_issue', 'Create an issue.', { owner: { type: 'string' }, title: { type: 'string' } }, ['owner', 'title']);
    expect(argumentProblems(createIssue, { owner: 'acme', title: 'Broken' })).toBeUndefined();
    const problems = argumentProblems(createIssue, { owner: 7 });
    expect(problems).toContain('"owner" must be string');
    expect(problems).toContain("must have required property 'title'");
    // A schema the validator cannot compile is left to the server to judge.
    expect(argumentProblems({ ...createIssue, inputSchema: { type: 'object', properties: { a: { $ref: '#/nowhere' } } } }, { a: 1 })).toBeUndefined();
  });

  it('records a meta-call under the tool it calls', () => {
    expect(auditedToolName({ name: CALL_TOOL_NAME, arguments: { name: 'github_create_issue' } })).toBe('github_create_issue');
    expect(auditedToolName({ name: CALL_TOOL_NAME, arguments: { name: 3 } })).toBe(CALL_TOOL_NAME);
    expect(auditedToolName({ name: 'github_create_issue' })).toBe('github_create_issue');
  });
});

describe('the tool-search router over a stand-in catalog router', () => {
  const manyTools = [
    tool('add', 'Adds two numbers.', { a: { type: 'number' }, b: { type: 'number' } }, ['a', 'b']),
    ...Array.from({ length: 60 }, (_, index) => tool(`tool_${index}`, `Generated tool ${index}.`)),
  ].map((definition) => ({ ...definition, name: `s_${definition.name}` }));
  const calls: { name: string; view: unknown }[] = [];
  const inner = {
    listTools: async () => manyTools,
    callTool: async (name: string, _args: unknown, view: unknown) => {
      calls.push({ name, view });
      return { server: 's', result: { content: [{ type: 'text', text: `called ${name}` }] } };
    },
    relayRoute: async () => undefined,
  } as unknown as GatewayRouter;
  const options = {} as CallOptions;

  it('lists within the budget, finds and calls through the same router with the view it was given', async () => {
    let uses = new Map<string, number>([['s_tool_7', 3]]);
    const router = new ToolSearchRouter(inner, { usage: { usesBy: () => (name) => uses.get(name) ?? 0 } });
    const view = { client: 'cursor', servers: ['s'] };
    const listed = (await router.listTools(view)).map((entry) => entry.name);
    expect(listed).toEqual(['s_tool_7', SEARCH_TOOL_NAME, CALL_TOOL_NAME]);
    expect(router.listings()).toEqual([
      { client: 'cursor', budget: { maxTools: 40, source: 'ai-client', forceSearch: false }, mode: 'search', direct: 1, throughSearch: 60 },
    ]);

    const found = (await router.callTool(SEARCH_TOOL_NAME, { query: 'add numbers' }, view, options)).result as {
      structuredContent: { tools: { name: string }[] };
    };
    expect(found.structuredContent.tools[0]!.name).toBe('s_add');
    await router.callTool(CALL_TOOL_NAME, { name: 's_add', arguments: { a: 1, b: 2 } }, view, options);
    // The catalog router gets the view without the client's budget fields, as a direct call would.
    expect(calls).toEqual([{ name: 's_add', view: { servers: ['s'] } }]);
    expect(await router.relayRoute('tools/call', { name: CALL_TOOL_NAME }, view)).toBeUndefined();

    // A usage refresh that moves a tool into the direct set is news for the client (tools/list_changed).
    expect(router.directSetsChanged()).toBe(false);
    uses = new Map([
      ['s_tool_7', 3],
      ['s_add', 9],
    ]);
    expect(router.directSetsChanged()).toBe(true);
    router.close();
  });

  it('tells the clients to list again when a client’s budget changed since its listing', async () => {
    let changes = 0;
    const router = new ToolSearchRouter(inner, { onVisibleToolsChanged: () => changes++ });
    await router.listTools({ client: 'cursor' });
    await router.callTool('s_add', { a: 1, b: 2 }, { client: 'cursor' }, options);
    expect(changes).toBe(0);
    await router.callTool('s_add', { a: 1, b: 2 }, { client: 'cursor', maxTools: 100 }, options);
    expect(changes).toBe(1);
    await router.callTool('s_add', { a: 1, b: 2 }, { client: 'cursor', maxTools: 100 }, options);
    expect(changes).toBe(1);
    router.close();
  });
});
