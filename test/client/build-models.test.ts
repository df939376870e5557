/**
 * The models behind issue 12's fixes, without VS Code: which builds "Rebuild changed services"
 * means, where the build client is set, the "same time" band of two builds, comparisons that
 * skip builds which could not run, and the command line written to the log.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparablePair, speedChange } from '../../buildkit/src';
import { commandLine } from '../../client/src/builds/feature-contract';
import { changedTargets, toTarget } from '../../client/src/builds/plan';
import { buildClientSettingsCommand, describeCommandSource } from '../../client/src/builds/settings';
import { speedupText } from '../../client/src/builds/comparison';
import { makeRecord } from './build-fixtures';

const ROOT = '/w/shop';
const composed = (service: string, dir: string, target?: string) =>
  toTarget({ service, dockerfile: `${ROOT}/${dir}/Dockerfile`, contextDir: `${ROOT}/${dir}`, target, composeFile: `${ROOT}/compose.yaml` }, ROOT);
const lone = (dir: string) => toTarget({ dockerfile: `${ROOT}/${dir}/Dockerfile`, contextDir: `${ROOT}/${dir}` }, ROOT);
const ALL = [composed('api', 'api'), composed('worker', 'api', 'worker'), composed('web', 'web'), lone('tools'), lone('api')];
const toPath = (uri: string) => new URL(uri).pathname;
const ref = (dir: string, service?: string) => ({ dockerfileUri: `file://${ROOT}/${dir}/Dockerfile`, ...(service ? { service } : {}) });

test('changed services: the compose services named, all of a Dockerfile when none is named, a lone Dockerfile from its folder', () => {
  assert.deepEqual(changedTargets(ALL, [ref('api', 'worker')], toPath).map((t) => t.label), ['worker']);
  assert.deepEqual(changedTargets(ALL, [ref('api', 'api, worker')], toPath).map((t) => t.label), ['api', 'worker']);
  assert.deepEqual(changedTargets(ALL, [ref('api', 'api')], toPath).map((t) => t.label), ['api'], 'not the lone build of the same Dockerfile');
  assert.deepEqual(changedTargets(ALL, [ref('tools', 'tools')], toPath).map((t) => t.label), ['tools/Dockerfile']);
  assert.deepEqual(changedTargets(ALL, [ref('web', 'web'), ref('api', 'api'), ref('web', 'web')], toPath).map((t) => t.label), ['api', 'web']);
  assert.deepEqual(changedTargets(ALL, [ref('gone', 'gone')], toPath), []);
});

test('"Open Settings" for the build client: the Remote tab in a remote window, else the User tab', () => {
  assert.deepEqual(buildClientSettingsCommand('ssh-remote'), { command: 'workbench.action.openRemoteSettings', args: [{ query: 'dockopt.build.command' }] });
  assert.deepEqual(buildClientSettingsCommand(undefined), { command: 'workbench.action.openGlobalSettings', args: [{ query: 'dockopt.build.command' }] });
});

test('the log says whether the client was set, and in a remote window where to set it', () => {
  const set = { get: () => '/usr/bin/docker', inspect: () => ({ globalValue: '/usr/bin/docker' }) };
  const unset = { get: () => undefined, inspect: () => ({}) };
  assert.equal(describeCommandSource(set, '/usr/bin/docker', 'ssh-remote'), 'dockopt.build.command = /usr/bin/docker');
  assert.match(describeCommandSource(unset, 'docker', 'ssh-remote'), /not set for this machine \(remote window: set it on the Remote tab/);
  assert.equal(describeCommandSource(unset, 'docker'), "dockopt.build.command not set: default 'docker'");
});

test('two builds within the noise take "the same time"; only a real difference is faster or slower', () => {
  assert.deepEqual(speedChange(10_000, 10_400), { kind: 'same', savedMs: -400 });
  assert.deepEqual(speedChange(1_000, 1_200), { kind: 'same', savedMs: -200 }, '0.25 s is noise however short the build');
  assert.equal(speedChange(10_000, 11_000).kind, 'slower');
  assert.equal(speedChange(12_300, 2_100).kind, 'faster');
  assert.deepEqual(speedChange(0, 100), { kind: 'unknown' });
  const before = makeRecord({ outcomes: { 0: 'cached', 1: 100 }, durationMs: 12_000 });
  const after = makeRecord({ outcomes: { 0: 'cached', 1: 100 }, durationMs: 12_200 });
  assert.equal(speedupText(before, after), 'the same time (12.0s → 12.2s)');
});

test('a comparison never picks a build that could not run', () => {
  const ok1 = makeRecord({ outcomes: { 1: 100 }, durationMs: 5_000 });
  const ok2 = makeRecord({ outcomes: { 1: 'cached' }, durationMs: 1_000 });
  const error = makeRecord({ outcomes: {}, status: 'error', durationMs: 10 });
  assert.deepEqual(comparablePair([ok1, error, ok2])?.map((b) => b.id), [ok1.id, ok2.id]);
  assert.deepEqual(comparablePair([ok1, ok2, error])?.map((b) => b.id), [ok1.id, ok2.id]);
  assert.equal(comparablePair([error, ok1]), undefined);
  assert.equal(comparablePair([ok1, error], 1), undefined, 'the build asked for could not run');
});

test('the logged command line quotes what a shell would need quoted', () => {
  assert.equal(commandLine(['/usr/bin/docker', 'build', '--file=/w/a b/Dockerfile', '--', "/w/it's"]), "/usr/bin/docker build '--file=/w/a b/Dockerfile' -- '/w/it'\\''s'");
});
