/**
 * What the language server does not check while the user types (server/src/lsp/check-limits.ts):
 * a Dockerfile with an instruction over 256 KB, or a document over 512 KB, gets one information
 * diagnostic that says so, at once, and nothing else; ordinary files, however long, are checked.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { continuationLines, singleLongLine } from '../../bench/pathological-dockerfiles';
import { denseDockerfile } from '../../bench/dense-dockerfile';
import { checkLimitNotice, MAX_INSTRUCTION_CHARS } from '../../server/src/lsp/check-limits';
import { TestLspClient } from '../helpers/lsp-client';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const run = (chars: number) => `RUN echo ${'x'.repeat(chars - 'RUN echo '.length)}`;

describe('checkLimitNotice', () => {
  const cases: Array<{ name: string; text: string; line?: number }> = [
    { name: 'a 1 MB single line', text: singleLongLine(1024 * 1024), line: 2 },
    { name: 'a RUN continued over 100 000 lines', text: continuationLines(100_000), line: 2 },
    { name: 'an instruction just over the limit', text: `FROM alpine\n${run(MAX_INSTRUCTION_CHARS + 10)}\n`, line: 2 },
    { name: 'continuations joined across comment and blank lines', text: `FROM alpine\nRUN a \\\n${`# note\n\n  ${'y'.repeat(1000)} \\\n`.repeat(300)}  done\n`, line: 2 },
    { name: 'the backtick escape of `# escape=`', text: `# escape=\`\nFROM mcr.microsoft.com/windows\nRUN a \`\n${`  ${'z'.repeat(1000)} \`\n`.repeat(300)}  done\n`, line: 3 },
    { name: 'a document over 512 KB', text: `FROM alpine\n${'# comment line\n'.repeat(40_000)}`, line: 1 },
    { name: 'a 10 000-line Dockerfile of short instructions', text: denseDockerfile(10_000) },
    { name: 'an instruction just under the limit', text: `FROM alpine\n${run(MAX_INSTRUCTION_CHARS - 10)}\n` },
    { name: 'lines that end in a backslash inside comments do not continue', text: `FROM alpine\n${'# a comment \\\n'.repeat(30_000)}RUN true\n` },
    { name: 'with `# escape=`, a backslash does not continue', text: `# escape=\`\nFROM alpine\n${'RUN echo C:\\\n'.repeat(30_000)}` },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.line ? `a notice on line ${c.line}` : 'checked'}`, () => {
      const notice = checkLimitNotice(c.text, 'dockerfile');
      assert.equal(notice === undefined ? undefined : notice.range.start.line + 1, c.line);
    });
  }

  it('a .dockerignore is limited by its size only', () => {
    assert.equal(checkLimitNotice(`${'x'.repeat(300 * 1024)}\n`, 'dockerignore'), undefined);
    assert.ok(checkLimitNotice(`${'x\n'.repeat(300_000)}`, 'dockerignore'));
  });

  it('says what is not checked, where, and why', () => {
    assert.equal(
      checkLimitNotice(singleLongLine(1024 * 1024), 'dockerfile')?.message,
      'dockopt does not check this Dockerfile while it is edited: the instruction on line 2 is 1.0 MB long, over the 256 KB it reads so that no keystroke waits for it. `dockopt check` reads it.',
    );
  });
});

describe('over LSP', () => {
  let root: string;
  let client: TestLspClient;
  before(async () => {
    root = makeWorkspace({ 'Dockerfile': 'FROM python:3.11-slim\n', 'small/Dockerfile': 'FROM python:3.11-slim\nRUN pip install flask\n' });
    client = new TestLspClient({ folders: [root] });
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  it('a 1 MB line gets the notice alone; the next small edit is checked again, and another document meanwhile', async () => {
    const uri = client.open(join(root, 'Dockerfile'), singleLongLine(1024 * 1024));
    const notice = await client.diagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(notice.map((d) => [d.severity, d.source, d.code, d.range.start.line]), [[3, 'dockopt', undefined, 1]]);
    assert.match(String(notice[0].message), /line 2 is 1\.0 MB long/);
    const small = client.open(join(root, 'small', 'Dockerfile'), 'FROM python:3.11-slim\nRUN pip install flask\n');
    assert.ok((await client.diagnostics(small, (d) => d.length > 0)).some((d) => d.code === 'pip-cache-mount'));
    const version = client.change(uri, 'FROM python:3.11-slim\nRUN pip install flask\n');
    const checked = await client.diagnostics(uri, (_d, p) => p.version === version);
    assert.ok(checked.some((d) => d.code === 'pip-cache-mount'), JSON.stringify(checked.map((d) => d.code)));
    assert.ok(!checked.some((d) => d.code === undefined));
  });
});
