import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import { DelayedProgress, type ProgressSession, type Timers } from '../../client/src/optimize-all/delayed-progress';

/** Timers the test fires by hand: no waiting on the clock. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  const timers: Timers = {
    setTimeout: (callback) => {
      pending.set(next, callback);
      return next++;
    },
    clearTimeout: (handle) => pending.delete(handle as number),
  };
  const fireAll = () => {
    for (const [id, callback] of [...pending]) {
      pending.delete(id);
      callback();
    }
  };
  return { timers, fireAll, pending };
}

test('work that finishes before the delay never shows a notification', () => {
  const clock = manualTimers();
  const sessions: ProgressSession[] = [];
  const progress = new DelayedProgress((s) => sessions.push(s), 500, clock.timers);
  progress.finish();
  clock.fireAll();
  assert.equal(sessions.length, 0);
  assert.equal(clock.pending.size, 0);
});

test('long work shows the notification with the latest message, then forwards new ones', () => {
  const clock = manualTimers();
  const shown: string[] = [];
  const progress = new DelayedProgress((session) => session.attach((m) => shown.push(m), new CancellationTokenSource().token), 500, clock.timers);
  progress.report('Checking a (1/2)…');
  clock.fireAll();
  progress.report('Checking b (2/2)…');
  assert.deepEqual(shown, ['Checking a (1/2)…', 'Checking b (2/2)…']);
  assert.equal(progress.shown, true);
});

test('the notification closes when the work finishes', async () => {
  const clock = manualTimers();
  let closed: Promise<void> | undefined;
  const progress = new DelayedProgress((session) => (closed = session.closed), 500, clock.timers);
  clock.fireAll();
  assert.ok(closed);
  progress.finish();
  await closed; // settles: otherwise this test would never end
});

test('Cancel in the notification cancels the work', () => {
  const clock = manualTimers();
  const button = new CancellationTokenSource();
  const progress = new DelayedProgress((session) => session.attach(() => {}, button.token), 500, clock.timers);
  clock.fireAll();
  assert.equal(progress.cancellation.isCancellationRequested, false);
  button.cancel();
  assert.equal(progress.cancellation.isCancellationRequested, true);
});
