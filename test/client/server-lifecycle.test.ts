import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartPolicy } from '../../client/src/restart-policy';
import { StatusStore, statusView } from '../../client/src/status-text';

const MIN = 60_000;

test('the first crash restarts the server and tells the user', () => {
  const decision = new RestartPolicy().onCrash(0);
  assert.equal(decision.restart, true);
  assert.match(decision.notify ?? '', /stopped unexpectedly and was restarted/);
});

test('later crashes restart silently (the output channel still gets a line)', () => {
  const policy = new RestartPolicy();
  policy.onCrash(0);
  const second = policy.onCrash(10 * MIN);
  assert.equal(second.restart, true);
  assert.equal(second.notify, undefined);
  assert.match(second.log, /restarting/);
});

test('a server that keeps crashing is given up on, and the user is told how to restart it', () => {
  const policy = new RestartPolicy({ maxCrashes: 3, windowMs: 3 * MIN });
  for (let i = 0; i < 3; i++) assert.equal(policy.onCrash(i * 1000).restart, true);
  const last = policy.onCrash(4000);
  assert.equal(last.restart, false);
  assert.match(last.notify ?? '', /4 times in 3 minutes.*Restart Language Server/);
});

test('crashes outside the window do not count toward giving up', () => {
  const policy = new RestartPolicy({ maxCrashes: 2, windowMs: 3 * MIN });
  assert.equal(policy.onCrash(0).restart, true);
  assert.equal(policy.onCrash(1 * MIN).restart, true);
  assert.equal(policy.onCrash(5 * MIN).restart, true);
});

test('a restart by the user starts a fresh count but does not repeat the notice', () => {
  const policy = new RestartPolicy({ maxCrashes: 1 });
  policy.onCrash(0);
  assert.equal(policy.onCrash(1).restart, false);
  policy.reset();
  const after = policy.onCrash(2);
  assert.equal(after.restart, true);
  assert.equal(after.notify, undefined);
});

test('status: findings and active rules of the file, with Optimize all as the action', () => {
  assert.deepEqual(statusView('running', { uri: 'file:///Dockerfile', findings: 3, activeRules: 8 }), {
    text: 'dockopt: 3 findings',
    detail: '8 rules active',
    severity: 'information',
    busy: false,
    command: { title: 'Optimize all', command: 'dockopt.optimizeAll' },
  });
});

test('status: singular wording for one finding and one rule; "no findings" for none', () => {
  assert.equal(statusView('running', { uri: 'u', findings: 1, activeRules: 1 }).text, 'dockopt: 1 finding');
  assert.equal(statusView('running', { uri: 'u', findings: 1, activeRules: 1 }).detail, '1 rule active');
  assert.equal(statusView('running', { uri: 'u', findings: 0, activeRules: 0 }).text, 'dockopt: no findings');
  assert.equal(statusView('running', { uri: 'u', findings: 0, activeRules: 0 }).detail, 'all rules off');
});

test('status: busy until the server has reported on the file', () => {
  assert.equal(statusView('starting', undefined).busy, true);
  assert.equal(statusView('running', undefined).busy, true);
});

test('status: a stopped server is an error whose action restarts it', () => {
  const view = statusView('stopped', { uri: 'u', findings: 2, activeRules: 8 });
  assert.equal(view.severity, 'error');
  assert.equal(view.command.command, 'dockopt.restartServer');
});

test('status store keeps the latest report per file and forgets closed files', () => {
  const store = new StatusStore();
  store.update({ uri: 'a', findings: 2, activeRules: 8 });
  store.update({ uri: 'a', findings: 0, activeRules: 8 });
  store.update({ uri: 'b', findings: 1, activeRules: 8 });
  assert.equal(store.get('a')?.findings, 0);
  store.forget('b');
  assert.equal(store.get('b'), undefined);
});
