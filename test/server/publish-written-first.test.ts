/**
 * A large document's check waits until what was already sent is written out (issue 8, the
 * pathological open): the connection writes a message of thousands of diagnostics in pieces as
 * the pipe drains, between turns of the event loop, so a check that held the loop right after a
 * publish held that publish back for as long as it ran (a 320 KB file's first diagnostics came
 * after ~1.5 s instead of ~0.75 when the workspace read landed just after its first check).
 */
import assert from 'node:assert/strict';
import { afterEach, it, mock } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostics } from '../../server/src/lsp/diagnostics';
import type { Session } from '../../server/src/lsp/session';
import { SettingsCache } from '../../server/src/lsp/settings-cache';

const LARGE = `FROM python:3.12\n${'ENV A=1\n'.repeat(20_000)}`;
const SMALL = 'FROM python:3.12\nENV A=1\n';

/** A session whose connection's writes settle only when the test says so; `events` records the order. */
function fakeSession(text: string) {
  const events: string[] = [];
  const writes: Array<() => void> = [];
  const doc = TextDocument.create('file:///w/Dockerfile', 'dockerfile', 1, text);
  const pendingWrite = (name: string) => {
    events.push(name);
    return new Promise<void>((resolve) => writes.push(() => { events.push(`${name} written`); resolve(); }));
  };
  const session = {
    connection: {
      sendDiagnostics: () => pendingWrite('diagnostics'),
      sendNotification: () => pendingWrite('status'),
      console: { error: (m: string) => events.push(`error ${m}`), warn: () => undefined },
    },
    documents: { get: () => doc, all: () => [doc] },
    linter: {
      lint: () => {
        events.push('check');
        return [];
      },
      noticeOf: () => undefined,
    },
    workspace: { skippedFiles: () => [] },
    settings: new SettingsCache(undefined),
    roots: [],
    canCreateFiles: false,
    workspaceTrusted: true,
  } as unknown as Session;
  /** Lets every write sent so far complete, in order. */
  const flush = () => writes.splice(0).forEach((write) => write());
  return { session, doc, events, flush };
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

afterEach(() => mock.timers.reset());

it('starts a large document’s check only once the diagnostics sent before are written out', async () => {
  const { session, doc, events, flush } = fakeSession(LARGE);
  const diagnostics = new Diagnostics(session, undefined);
  await diagnostics.validate(doc);
  assert.deepEqual(events, ['check', 'diagnostics', 'status']);
  // The workspace read lands: the same version is checked again while the first publish is still being written.
  const again = diagnostics.validate(doc);
  await turns(10);
  assert.deepEqual(events, ['check', 'diagnostics', 'status'], 'no check while the publish is not out');
  flush();
  await again;
  assert.deepEqual(events, ['check', 'diagnostics', 'status', 'diagnostics written', 'status written', 'check', 'status']);
});

it('does not wait for the writes before a small document’s check', async () => {
  const { session, doc, events } = fakeSession(SMALL);
  const diagnostics = new Diagnostics(session, undefined);
  await diagnostics.validate(doc);
  await diagnostics.validate(doc);
  assert.deepEqual(events, ['check', 'diagnostics', 'status', 'check', 'status']);
});

it('checks anyway when the client stops reading: the wait for the writes is bounded', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const { session, doc, events } = fakeSession(LARGE);
  const diagnostics = new Diagnostics(session, undefined);
  await diagnostics.validate(doc);
  const again = diagnostics.validate(doc);
  await turns(10);
  assert.equal(events.filter((e) => e === 'check').length, 1);
  mock.timers.tick(2000);
  await again;
  assert.equal(events.filter((e) => e === 'check').length, 2);
});
