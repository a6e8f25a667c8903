// Words people and tool authors use for the same software action or thing ("ticket" and "issue", "folder" and "directory"), as groups.
//
// Why a hand-made list and not WordNet: WordNet knows English, not the jargon tools are written in. It has no "repo",
// "PR" or "k8s", its senses of "issue" are about publishing and offspring, and it weighs 34 MB. The benchmark
// (test/bench/tool-search.bench.ts) measures both. Each group is a set of words that mean the same in a tool request;
// a word may sit in several groups. Words are matched after lower-casing, before stemming.

import type { Thesaurus } from './thesaurus.ts';

const GROUPS: readonly string[] = [
  // Actions
  'create make new add build generate register provision setup fresh',
  'delete remove erase drop destroy discard purge wipe forget uninstall',
  'update edit change modify alter set rewrite adjust patch replace',
  'rename retitle',
  'get read fetch retrieve show view display see print load open inspect describe details content contents',
  'list enumerate show all browse',
  'search find look lookup query discover locate seek filter',
  'run execute start launch trigger invoke kick perform',
  'stop cancel halt abort terminate end kill',
  'restart rerun reboot retry',
  'send post publish share submit',
  'comment reply note remark respond answer message feedback',
  'close resolve finish complete done',
  'reopen unresolve',
  'assign assignee assignees give delegate allocate owner',
  'approve accept lgtm',
  'merge land combine',
  'remember store save record memorize persist keep',
  'recall remember retrieve',
  'download fetch grab save',
  'upload attach',
  'select choose pick dropdown option',
  'navigate go visit browse open url',
  'click press tap',
  'type enter input fill write',
  'wait pause sleep delay',
  'deploy install release ship rollout',
  'scale replicas resize',
  'monitor watch check ping uptime',
  'subscribe watch follow',
  'unsubscribe unwatch mute ignore',
  'star favorite bookmark',
  'copy clone duplicate fork',
  'move relocate transfer',
  'compare diff difference changes',
  'verify assert check confirm ensure expect',
  'mock stub fake intercept route',
  'record capture recording',
  'scan check analyze inspect',
  'analyze diagnose troubleshoot debug investigate root cause',
  // Things
  'issue issues ticket tickets bug bugs problem defect feature enhancement',
  'error exception crash failure fault problem incident',
  'pull pr request merge change',
  'repository repositories repo repos project codebase',
  'directory folder dir',
  'file files document yml yaml json txt md conf cfg toml ini csv',
  'commit revision changeset',
  'release version tag',
  'user account person people member profile',
  'organization org company',
  'team group',
  'log logs output stdout console',
  'screenshot capture image picture photo',
  'page website site web url link html',
  'markdown text article',
  'node nodes machine machines host server',
  'pod container',
  'cluster clusters kubernetes k8s kube',
  'namespace project',
  'config configuration settings setup preferences options kubeconfig',
  'context cluster',
  'permission access grant authorization role',
  'alert alarm notification notify',
  'notification inbox unread mention',
  'vulnerability advisory security cve',
  'dependency dependencies package library',
  'secret key credential token password leaked',
  'label tag category',
  'entity node object item',
  'relation relationship link connection edge',
  'observation fact note',
  'workflow action actions pipeline ci build job',
  'traffic requests visits',
  'outage outages anomaly anomalies disruption disruptions downtime',
  'attack ddos',
  'speed bandwidth throughput',
  'latency delay',
  'popular rank ranking top trending',
  'vm virtual machine',
  'trace tracing span',
  'profile profiling performance cpu hotspot slow',
  'usage consumption utilization load resources',
  'keyboard key',
  'mouse pointer cursor',
  'scroll wheel',
  'tab window',
  'dialog popup alert confirm prompt',
  'storage localstorage sessionstorage',
  'dsn client key',
  'cron scheduled job',
  'me my own mine self authenticated',
  'open unresolved active pending',
  'reaction react emoji thumbs',
  'board boards kanban',
  'resource resources deployment deployments service services configmap ingress statefulset daemonset manifest',
  'switch select active use',
  'disk local filesystem',
];

/**
 * The second round's groups, read off the misses of the even-numbered developed tasks only (so the odd-numbered half
 * measures them fairly). Each widens a group above or adds one; a word's related words are the union of its groups.
 */
const SECOND_ROUND_GROUPS: readonly string[] = [
  'create make new add build generate register provision setup fresh log',
  'remember memory knowledge graph',
  'mock stub fake intercept intercepting route',
  'context contexts cluster clusters',
  'board boards kanban project projects',
  'metrics percentiles quantiles',
  'size sizes space',
];

/** What an "un-" word of a known one does: undoes it ("unstar", "unroute", "unwatch"). */
const UNDO = ['remove', 'stop', 'undo'];

/** A thesaurus from groups; with `undo`, an "un-" word the groups lack but whose rest they know is taken as undoing it. */
export function thesaurusOf(groups: readonly string[], { undo }: { undo: boolean }): Thesaurus {
  const sets = new Map<string, Set<string>>();
  for (const group of groups) {
    const words = group.split(' ');
    for (const word of words) {
      const set = sets.get(word) ?? new Set<string>();
      for (const other of words) if (other !== word) set.add(other);
      sets.set(word, set);
    }
  }
  const related = new Map([...sets].map(([word, set]) => [word, [...set]]));
  return {
    related(word) {
      const own = related.get(word);
      if (own || !undo) return own ?? [];
      const undone = word.startsWith('un') ? word.slice(2) : '';
      return related.has(undone) ? [undone, ...UNDO] : [];
    },
    words: [...related.keys()],
  };
}

/** The first round's list alone, as the benchmark measures it step by step. */
export const FIRST_ROUND_THESAURUS = thesaurusOf(GROUPS, { undo: false });

/** The thesaurus as the index takes it (tool-index.ts looks words up word for word). */
export const SOFTWARE_THESAURUS = thesaurusOf([...GROUPS, ...SECOND_ROUND_GROUPS], { undo: true });

export function softwareSynonyms(word: string): readonly string[] {
  return SOFTWARE_THESAURUS.related(word);
}
