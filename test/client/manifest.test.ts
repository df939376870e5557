/**
 * The extension manifest (package.json) against the client code and the rules: contributed
 * commands are the registered ones, rule settings match the server's rules, every file the
 * manifest names exists, and the .vsix allowlist keeps sources out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { COMMAND_IDS } from '../../client/src/commands/ids';
import { KNOWN_RULE_IDS, ruleTitle } from '../../client/src/rule-titles';
import { rules } from '../../server/src/rules';
import { rule as pythonBaseVersion } from '../../server/src/rules/python-base-version';
import { PUBLIC_RULE_IDS } from '../helpers/public-rule-ids';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const properties: Record<string, any> = pkg.contributes.configuration.properties;
const RULE_IDS = PUBLIC_RULE_IDS;

test('the contributed commands are exactly the ones the client registers', () => {
  assert.deepEqual(pkg.contributes.commands.map((c: any) => c.command).sort(), [...COMMAND_IDS].sort());
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'dockopt', c.command);
});

test('menus only name contributed commands; Optimize All has its place in the BuildKit Cache view title', () => {
  const ids = new Set(COMMAND_IDS as readonly string[]);
  for (const [menu, entries] of Object.entries<any[]>(pkg.contributes.menus)) {
    for (const entry of entries) assert.ok(ids.has(entry.command), `${menu}: ${entry.command}`);
  }
  assert.ok(pkg.contributes.menus['view/title'].some((e: any) => e.command === 'dockopt.optimizeAll' && /view == dockopt\.buildkitCache/.test(e.when)));
});

test('activation: Docker languages, Dockerfiles, compose files and the commands, never *', () => {
  const events: string[] = pkg.activationEvents;
  assert.ok(!events.includes('*'));
  for (const e of ['onLanguage:dockerfile', 'onLanguage:dockerignore', 'workspaceContains:**/Dockerfile', 'workspaceContains:**/compose.yaml', 'workspaceContains:**/docker-compose.yml']) {
    assert.ok(events.includes(e), e);
  }
  for (const id of COMMAND_IDS) assert.ok(events.includes(`onCommand:${id}`), id);
});

test('each rule has a per-resource severity setting with off, and the client has a title for it', () => {
  for (const id of RULE_IDS) {
    const setting = properties[`dockopt.rules.${id}`];
    assert.ok(setting, id);
    assert.deepEqual(setting.enum, ['off', 'hint', 'info', 'warning', 'error'], id);
    assert.equal(setting.scope, 'resource', id);
    assert.notEqual(ruleTitle(id), id, id);
  }
  assert.deepEqual(
    Object.keys(properties).filter((k) => k.startsWith('dockopt.rules.')).sort(),
    RULE_IDS.map((id) => `dockopt.rules.${id}`).sort(),
  );
  assert.deepEqual([...KNOWN_RULE_IDS].sort(), [...RULE_IDS].sort());
});

test('a rule setting defaults to the rule’s own severity (VS Code sends the default to the server)', () => {
  for (const rule of rules) {
    const setting = properties[`dockopt.rules.${rule.meta.id}`];
    assert.ok(setting, `setting for ${rule.meta.id}`);
    assert.equal(setting.default, rule.meta.defaultSeverity, rule.meta.id);
  }
});

test('every setting is documented and has a default', () => {
  for (const [key, setting] of Object.entries(properties)) {
    assert.ok(setting.description || setting.markdownDescription, key);
    assert.ok('default' in setting, key);
  }
  // The manifest repeats the server's default (VS Code shows it and sends it): settings.ts is the source.
  assert.equal(properties['dockopt.python.targetVersion'].default, pythonBaseVersion.options?.targetVersion.default);
  assert.equal(properties['dockopt.optimizeAll.preview'].default, true);
  assert.deepEqual(properties['dockopt.trace.server'].enum, ['off', 'messages', 'verbose']);
});

test('files the manifest names exist, and the JSON ones parse', () => {
  const files = [
    pkg.main.replace(/^\.\//, '').replace(/^dist\/.*$/, 'client/src/extension.ts'),
    pkg.icon,
    ...pkg.contributes.grammars.map((g: any) => g.path),
    ...pkg.contributes.languages.flatMap((l: any) => (l.configuration ? [l.configuration] : [])),
  ];
  for (const file of files) {
    assert.ok(existsSync(file), file);
    if (file.endsWith('.json')) JSON.parse(readFileSync(file, 'utf8'));
  }
});

test('the icon is a 128×128 PNG', () => {
  const png = readFileSync(pkg.icon);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal(png.readUInt32BE(16), 128);
  assert.equal(png.readUInt32BE(20), 128);
});

test('grammar scope names agree between package.json and the grammar files', () => {
  for (const g of pkg.contributes.grammars) {
    assert.equal(JSON.parse(readFileSync(g.path, 'utf8')).scopeName, g.scopeName, g.path);
  }
});

test('restricted mode is limited (checks work, builds need trust); virtual workspaces are not supported', () => {
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(pkg.capabilities.untrustedWorkspaces.description);
  assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
});

test('a repository cannot choose the build client; its build options and contexts wait for trust', () => {
  // `machine`: only User (or Remote) settings set the executable dockopt runs, never .vscode/settings.json.
  assert.equal(properties['dockopt.build.command'].scope, 'machine');
  const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const key of ['dockopt.build.command', 'dockopt.build.builder', 'dockopt.build.extraArgs', 'dockopt.contextOverrides', 'dockopt.optimizeAll.preview']) {
    assert.ok(restricted.includes(key), key);
  }
  for (const key of restricted) assert.ok(properties[key], `${key} is a contributed setting`);
});

test('engines.vscode is not older than vscode-languageclient needs', () => {
  const client = JSON.parse(readFileSync('node_modules/vscode-languageclient/package.json', 'utf8'));
  const min = (range: string) => range.replace(/^[\^~>=]+/, '').split('.').map(Number);
  const [a, b] = [min(pkg.engines.vscode), min(client.engines.vscode)];
  assert.ok(a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]), `${pkg.engines.vscode} vs ${client.engines.vscode}`);
});

test('the .vsix allowlist excludes everything first and lets in only bundles and assets, no source maps', () => {
  const lines = readFileSync('.vscodeignore', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**');
  for (const line of lines.slice(1)) {
    assert.ok(line.startsWith('!'), line);
    assert.ok(!/\.map$|src\/|test\/|node_modules/.test(line), line);
  }
  // dist/server.js runs the server bundle beside it, which starts its context-scan worker from the file beside it.
  for (const needed of ['!dist/extension.js', '!dist/server.js', '!dist/server-main.js', '!dist/context-scan-worker.js', '!package.json', '!LICENSE', '!media/**', '!syntaxes/**']) {
    assert.ok(lines.includes(needed), needed);
  }
});
