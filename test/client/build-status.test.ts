import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuildController } from '../../client/src/builds/controller';
import { toTarget } from '../../client/src/builds/plan';
import { DEFAULT_BUILD_SETTINGS } from '../../client/src/builds/settings';
import { BuildStatusBar, type Clock } from '../../client/src/builds/status-bar';
import { statusBarView } from '../../client/src/builds/status-model';
import { API_DOCKERFILE, apiTarget, fakeRunner, makeRecord, until } from './build-fixtures';

const ok = makeRecord({ outcomes: { 0: 'cached', 1: 'cached', 2: 'cached', 3: 'cached', 4: 70, 5: 800 }, durationMs: 2_100, startedAt: '2025-01-02T10:04:00.000Z' });
const failed = makeRecord({ outcomes: { 0: 'cached', 1: 'cached', 2: 'cached', 3: 'cached', 4: 'cached', 5: 'failed' }, durationMs: 1_500, startedAt: '2025-01-02T10:06:00.000Z' });

class FakeClock implements Clock {
  time = Date.parse('2025-01-02T10:10:00.000Z');
  private timers = new Map<number, () => void>();
  private nextId = 1;
  now() {
    return this.time;
  }
  setInterval(callback: () => void) {
    this.timers.set(this.nextId, callback);
    return this.nextId++;
  }
  clearInterval(handle: unknown) {
    this.timers.delete(handle as number);
  }
  get activeTimers() {
    return this.timers.size;
  }
  /** Moves time on by whole seconds, firing the one-second timers each second. */
  tick(seconds: number) {
    for (let i = 0; i < seconds; i++) {
      this.time += 1000;
      for (const callback of [...this.timers.values()]) callback();
    }
  }
}

function fakeStatusApi(activeFile?: string) {
  const item = { text: '', tooltip: '' as unknown, command: undefined as unknown, backgroundColor: undefined as unknown, visible: false, name: '', show() { this.visible = true; }, hide() { this.visible = false; }, dispose() {} };
  const api = {
    StatusBarAlignment: { Left: 1, Right: 2 },
    ThemeColor: class { constructor(readonly id: string) {} },
    window: {
      createStatusBarItem: () => item,
      onDidChangeActiveTextEditor: () => ({ dispose() {} }),
      activeTextEditor: activeFile ? { document: { uri: { scheme: 'file', fsPath: activeFile } } } : undefined,
    },
  };
  return { api: api as any, item };
}

function records(byDockerfile: Record<string, ReturnType<typeof recordsEntry>[]>) {
  return { load: async () => {}, forDockerfile: (file: string) => byDockerfile[file] ?? [] } as any;
}
function recordsEntry(builds = [ok]) {
  return { target: apiTarget(), builds };
}

test('while a build runs: a spinner, the service, and the elapsed time ticking each second', async () => {
  const clock = new FakeClock();
  const runner = fakeRunner();
  const controller = new BuildController({ startBuild: runner.start, now: () => clock.now() });
  const { api, item } = fakeStatusApi();
  const bar = new BuildStatusBar(api, { controller, records: records({}) }, clock);
  assert.equal(item.visible, false, 'nothing to show before any build');

  controller.start(apiTarget(), DEFAULT_BUILD_SETTINGS);
  assert.equal(item.text, '$(sync~spin) api 0:00');
  clock.tick(1);
  assert.equal(item.text, '$(sync~spin) api 0:01');
  clock.tick(64);
  assert.equal(item.text, '$(sync~spin) api 1:05');
  assert.match(String(item.tooltip), /Building api for 1:05\n\nClick to cancel\./);

  runner.runs[0].finish(ok);
  await until(() => controller.running().length === 0, 'the build to end');
  assert.equal(clock.activeTimers, 0, 'the ticking stops with the build');
  bar.dispose();
});

test('after the build: the active Dockerfile\'s last build, its time and hit ratio; click rebuilds', () => {
  const clock = new FakeClock();
  const controller = new BuildController({ startBuild: fakeRunner().start });
  const { api, item } = fakeStatusApi(API_DOCKERFILE);
  new BuildStatusBar(api, { controller, records: records({ [API_DOCKERFILE]: [recordsEntry([ok])] }) }, clock);
  assert.equal(item.visible, true);
  assert.equal(item.text, '$(check) api 2.1s · 60% cached');
  assert.equal(item.backgroundColor, undefined);
  assert.deepEqual(item.command, { command: 'dockopt.rebuild', title: 'Rebuild', arguments: [{ serviceId: apiTarget().id }] });
});

test('a failed last build gets the warning background', () => {
  const view = statusBarView({ now: Date.parse('2025-01-02T10:10:00.000Z'), running: [], active: { target: apiTarget(), builds: [ok, failed] } });
  assert.equal(view.text, '$(error) api failed · 1.5s');
  assert.equal(view.warning, true);
});

test('the tooltip lists the service\'s last builds, newest first', () => {
  const view = statusBarView({ now: Date.parse('2025-01-02T10:10:00.000Z'), running: [], active: { target: apiTarget(), builds: [ok, failed] } });
  assert.equal(
    view.tooltip,
    [
      'Last builds of api:',
      '  ✗ failed after 1.5s · 4/5 cached (80%) · 4 min ago',
      '  ✓ 2.1s · 3/5 cached (60%) · 6 min ago',
      '',
      'Click to rebuild.',
    ].join('\n'),
  );
});

test('hidden when the active editor is not a built Dockerfile and nothing runs', () => {
  assert.equal(statusBarView({ now: 0, running: [] }).visible, false);
});

test('several builds: the active service\'s first, with how many others run', () => {
  const t0 = Date.parse('2025-01-02T10:10:00.000Z');
  const view = statusBarView({
    now: t0 + 5_000,
    running: [
      { target: toTarget({ service: 'worker', dockerfile: '/w/shop/worker/Dockerfile', contextDir: '/w/shop/worker' }), startedAt: t0 - 10_000 },
      { target: apiTarget(), startedAt: t0 },
    ],
    active: { target: apiTarget(), builds: [ok] },
  });
  assert.equal(view.text, '$(sync~spin) api +1 0:05');
});
