// Finds import cycles in a graph of files (type-only imports count: they still tie two modules to each other's changes).

/** Each file and the files it imports; imports of files outside the graph are ignored. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/**
 * One cycle per group of files that import each other (strongly connected component), written as the path that
 * closes it, "a.ts → b.ts → a.ts"; starts at the alphabetically first file so the text is stable between runs.
 */
export function findImportCycles(graph: ImportGraph): string[] {
  return stronglyConnected(graph)
    .filter((group) => group.length > 1 || (graph.get(group[0]!) ?? []).includes(group[0]!))
    .map((group) => shortestLoop(graph, new Set(group), [...group].sort()[0]!).join(' → '))
    .sort();
}

/** Tarjan's algorithm, iterative so a deep import chain cannot overflow the stack. */
function stronglyConnected(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { file: string; next: number }[] = [{ file: root, next: 0 }];
    index.set(root, index.size);
    lowLink.set(root, index.get(root)!);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work.at(-1)!;
      const imports = (graph.get(frame.file) ?? []).filter((target) => graph.has(target));
      if (frame.next < imports.length) {
        const target = imports[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, index.size);
          lowLink.set(target, index.get(target)!);
          stack.push(target);
          onStack.add(target);
          work.push({ file: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.file, Math.min(lowLink.get(frame.file)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) lowLink.set(parent.file, Math.min(lowLink.get(parent.file)!, lowLink.get(frame.file)!));
      if (lowLink.get(frame.file) === index.get(frame.file)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.file);
        groups.push(group);
      }
    }
  }
  return groups;
}

/** The shortest path from `start` back to itself inside one group (breadth first), as the list of files it passes. */
function shortestLoop(graph: ImportGraph, group: Set<string>, start: string): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const file = queue.shift()!;
    for (const target of graph.get(file) ?? []) {
      if (!group.has(target)) continue;
      if (target === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start];
}
