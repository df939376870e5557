/** Every rule is registered once, has the metadata front ends rely on, and a docs page that says how to turn it off. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rules } from '../../server/src/rules';
import { docsUrl } from '../../server/src/rules/types';
import { KNOWN_RULE_IDS, ruleTitle } from '../../client/src/rule-titles';
import { PUBLIC_RULE_IDS } from '../helpers/public-rule-ids';

const PUBLIC_IDS = PUBLIC_RULE_IDS;

test('the rule ids are the public contract, each registered once', () => {
  assert.deepEqual(rules.map((r) => r.meta.id).sort(), [...PUBLIC_IDS].sort());
});

for (const rule of rules) {
  test(`${rule.meta.id}: metadata and docs page`, () => {
    assert.ok(rule.meta.description.length > 20);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(rule.meta.defaultSeverity));
    assert.ok(rule.checkDockerfile || rule.checkDockerignore);
    assert.ok(docsUrl(rule.meta.id).endsWith(`/docs/rules/${rule.meta.id}.md`));
    const page = join(__dirname, '..', '..', 'docs', 'rules', `${rule.meta.id}.md`);
    assert.ok(existsSync(page), `missing ${page}`);
    const text = readFileSync(page, 'utf8');
    assert.match(text, new RegExp(`# dockopt ignore=${rule.meta.id}`));
    assert.match(text, new RegExp(`"dockopt\\.rules\\.${rule.meta.id}": "off"`));
    assert.match(text, /before/i);
    assert.match(text, /after/i);
  });
}

// The README's rule table and each page's header say what `meta` says: a test fails when they drift.
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

for (const rule of rules) {
  const { id, defaultSeverity, fixable } = rule.meta;
  test(`${id}: the docs page header and the README row match the rule's meta`, () => {
    const page = readFileSync(join(__dirname, '..', '..', 'docs', 'rules', `${id}.md`), 'utf8');
    const header = page.split('\n')[2] ?? '';
    assert.ok(header.startsWith(`**Default severity:** ${defaultSeverity} · **Fixable:** ${fixable ? 'yes' : 'no'}`), header);
    const row = README.split('\n').find((line) => line.startsWith(`| [\`${id}\`](docs/rules/${id}.md) |`));
    assert.ok(row, `README has a row for ${id}`);
    assert.equal(row.split('|')[2].trim(), defaultSeverity);
  });
}

test("the client's rule titles are the rules' meta titles", () => {
  // The client cannot import server code (the project boundary): its table is checked here instead.
  assert.deepEqual(
    Object.fromEntries(KNOWN_RULE_IDS.map((id) => [id, ruleTitle(id)])),
    Object.fromEntries(rules.map((r) => [r.meta.id, r.meta.title])),
  );
});
