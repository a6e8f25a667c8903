// Classes of the action a request asks for and a tool performs ("fetch", "show" and "get" all read; "drop" and "remove" both delete), so a request and a tool name that agree on the action are ranked above near-siblings that do something else.

/** Class → the words that name it, in a request or in a tool's name. A word may name more than one class ("show" reads or lists). */
const CLASSES: Readonly<Record<string, string>> = {
  read: 'get read fetch retrieve show view display see print load inspect describe details open check',
  list: 'list enumerate show all browse which',
  search: 'search find look lookup query locate seek discover filter where',
  create: 'create add new make build generate register raise file submit post open start write set put',
  delete: 'delete remove drop destroy discard purge erase wipe kill uninstall forget detach clear unset',
  update: 'update edit change modify alter set rename rewrite adjust patch replace mark move',
};

const CLASSES_OF: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [name, words] of Object.entries(CLASSES)) for (const word of words.split(' ')) map.set(word, [...(map.get(word) ?? []), name]);
  return map;
})();

/** The action classes these words name (lower-case words, before stemming), each once. */
export function actionClasses(words: readonly string[]): Set<string> {
  const classes = new Set<string>();
  for (const word of words) for (const name of CLASSES_OF.get(word) ?? []) classes.add(name);
  return classes;
}
