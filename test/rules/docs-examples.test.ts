/**
 * Every rule page's Before / After Dockerfiles run through the rule, as ESLint checks its rule
 * examples: the rule fires on each "before", its preferred fixes turn it into the "after", and it
 * is quiet on the "after". A page whose example drifts from the rule fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { rules } from '../../server/src/rules';
import type { BuildContext } from '../../server/src/workspace/build-context';
import { check, fix } from '../helpers/rule-tester';

const DOCKERFILE_BLOCK = /^```dockerfile\n([\s\S]*?)^```$/gm;
const blocksOf = (section: string) => [...section.matchAll(DOCKERFILE_BLOCK)].map((m) => m[1]);

/**
 * The page's examples: the first Dockerfile under "## Before" with the first under "## After",
 * and the Dockerfiles of a "## Before / after" section taken two by two.
 */
export function examplePairs(page: string): Array<{ before: string; after: string }> {
  const sections = new Map(page.split(/^## /m).map((s) => [s.slice(0, s.indexOf('\n')).trim().toLowerCase(), s] as const));
  const pairs: Array<{ before: string; after: string }> = [];
  const before = blocksOf(sections.get('before') ?? '')[0];
  const after = blocksOf(sections.get('after') ?? '')[0];
  if (before !== undefined && after !== undefined) pairs.push({ before, after });
  const both = blocksOf(sections.get('before / after') ?? '');
  for (let i = 0; i + 1 < both.length; i += 2) pairs.push({ before: both[i], after: both[i + 1] });
  return pairs;
}

/** A build context holding the files the example's COPY lines name, before or after the fix (empty stand-ins). */
function contextFor(...dockerfiles: string[]): BuildContext {
  const files = new Set(['Dockerfile']);
  for (const m of dockerfiles.join('\n').matchAll(/^COPY\s+(?:--\S+\s+)*(.+)\s+\S+$/gm)) {
    for (const source of m[1].split(/\s+/)) {
      if (source === '.' || source.startsWith('--')) continue;
      // `package*.json`: the manifest and its lockfile.
      const names = source === 'package*.json' ? ['package.json', 'package-lock.json'] : [source];
      for (const name of names) files.add(name.replace(/^\.\//, ''));
    }
  }
  return {
    dockerfilePath: '/work/app/Dockerfile',
    contextDir: '/work/app',
    source: 'dockerfile-folder',
    ignoreFile: { path: '/work/app/.dockerignore', kind: 'context-root', exists: true },
    scan: { files: [...files].map((path) => ({ path, size: 10 })), truncated: false },
    readFile: () => undefined,
  };
}

for (const rule of rules) {
  const page = readFileSync(join(__dirname, '..', '..', 'docs', 'rules', `${rule.meta.id}.md`), 'utf8');
  const pairs = examplePairs(page);
  if (!rule.checkDockerfile || pairs.length === 0) continue;
  describe(`${rule.meta.id}: the docs page's examples`, () => {
    pairs.forEach(({ before, after }, i) => {
      test(`example ${i + 1}: fires on Before, fixes to After, quiet on After`, () => {
        const options = { buildContext: contextFor(before, after) };
        assert.ok(check(rule, before, options).length > 0, 'the rule fires on Before');
        assert.equal(fix(rule, before, options), after);
        assert.deepEqual(check(rule, after, options).map((f) => f.message), []);
      });
    });
  });
}
