/**
 * Where a CPU profile's time went (node --cpu-prof's .cpuprofile): self time summed by
 * function and by file, the largest first.
 *   node --import tsx bench/profile-summary.ts <file>.cpuprofile [rows] [skip seconds]
 * Samples in the first `skip seconds` are left out (the start: imports, compiling).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArg, skipArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file>.cpuprofile [rows] [skip seconds]');
const rows = Number(rowsArg ?? 40);
const skipUs = Number(skipArg ?? 0) * 1e6;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));

const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

const selfUs = new Map<number, number>();
let at = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  at += us;
  if (at >= skipUs) selfUs.set(id, (selfUs.get(id) ?? 0) + us);
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** A file's name from node_modules on, or from the repository's root. */
const shortUrl = (url: string) =>
  url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules\/|infra\/|shared\/|functions\/|bench\/|test\/)/, '$1');

const nameOf = (id: number) => {
  const { functionName, url, lineNumber } = (nodes.get(id) as ProfileNode).callFrame;
  return `${functionName || '(anonymous)'}  ${shortUrl(url) || '(native)'}:${lineNumber + 1}`;
};

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
/** Time with the function anywhere on the stack (each function once per sample). */
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const where = shortUrl((nodes.get(id) as ProfileNode).callFrame.url) || '(native)';
  const name = nameOf(id);
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  const onStack = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) onStack.add(nameOf(at));
  for (const f of onStack) inclusive.set(f, (inclusive.get(f) ?? 0) + us);
  const fileKey = where.startsWith('node_modules/')
    ? where
        .split('/')
        .slice(0, where.startsWith('node_modules/@') ? 3 : 2)
        .join('/')
    : where;
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + us);
}

const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
print('self time by file (packages grouped)', byFile);
print('self time by function', byFunction);
print('total time by function (its callees included)', inclusive);
