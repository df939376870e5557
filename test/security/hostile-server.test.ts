/**
 * The language server (dist/server.js --stdio) on a hostile repository: it keeps answering,
 * computes no edit outside the folder or through a link, and in Restricted Mode asks for
 * confirmation before a quick fix touches a file other than the open one.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CodeAction, CreateFile, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { TestLspClient } from '../helpers/lsp-client';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const UNOPTIMIZED = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n';
const temps: string[] = [];
const clients: TestLspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  temps.forEach(removeWorkspace);
});

async function serve(root: string, initializationOptions?: unknown): Promise<TestLspClient> {
  const client = new TestLspClient({ folders: [root], initializationOptions });
  clients.push(client);
  await client.initialize();
  return client;
}

function touchedPaths(edit: WorkspaceEdit | undefined): string[] {
  return (edit?.documentChanges ?? []).map((c) => URI.parse('textDocument' in c ? (c as TextDocumentEdit).textDocument.uri : (c as CreateFile).uri).fsPath);
}

describe('the language server on a hostile repository', () => {
  it('keeps answering with a FIFO .dockerignore and a Dockerfile linked to /dev/zero beside the open file', async () => {
    const root = makeWorkspace({ 'svc/Dockerfile': UNOPTIMIZED, 'svc/requirements.txt': '' });
    temps.push(root);
    execFileSync('mkfifo', [join(root, 'svc/.dockerignore')]);
    symlinkSync('/dev/zero', join(root, 'zero.Dockerfile'));
    const client = await serve(root);
    const uri = client.open(join(root, 'svc/Dockerfile'), UNOPTIMIZED);
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'pip-cache-mount'));
    assert.ok(diagnostics.length > 0);
    const fixes = (await client.connection.sendRequest('dockopt/workspaceFixes', {})) as { files: Array<{ uri: string }> };
    assert.ok(fixes.files.some((f) => URI.parse(f.uri).fsPath === join(root, 'svc/Dockerfile')), 'the Dockerfile is still fixed');
    assert.ok(!fixes.files.some((f) => URI.parse(f.uri).fsPath === join(root, 'svc/.dockerignore')), 'the FIFO is never written');
    assert.ok(client.stderr.join('').includes('skipped'), 'the skipped files are logged');
  });

  it('offers no edit through a link to outside the folder, in quick fixes or Optimize All', async () => {
    const parent = makeWorkspace({ 'home/.bashrc': 'echo hi\n', 'repo/svc/Dockerfile': UNOPTIMIZED, 'repo/svc/requirements.txt': '', 'repo/svc/docs/a.md': 'x\n' });
    temps.push(parent);
    const root = join(parent, 'repo');
    symlinkSync(join(parent, 'home/.bashrc'), join(root, 'svc/.dockerignore'));
    const client = await serve(root);
    const uri = client.open(join(root, 'svc/Dockerfile'), UNOPTIMIZED);
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } },
      context: { diagnostics, only: ['quickfix'] },
    })) as CodeAction[];
    const fixes = (await client.connection.sendRequest('dockopt/workspaceFixes', {})) as { files: Array<{ uri: string }> };
    const written = [...actions.flatMap((a) => touchedPaths(a.edit)), ...fixes.files.map((f) => URI.parse(f.uri).fsPath)];
    assert.ok(written.length > 0, 'the Dockerfile itself is still fixed');
    assert.deepEqual(written.filter((p) => !p.startsWith(root + '/') || p.endsWith('svc/.dockerignore')), []);
  });

  it('in Restricted Mode, a quick fix that creates a .dockerignore needs confirmation; the Dockerfile edit does not', async () => {
    const root = makeWorkspace({ 'svc/Dockerfile': UNOPTIMIZED, 'svc/requirements.txt': '', 'svc/docs/a.md': 'x\n', 'svc/tests/t.py': 'x\n' });
    temps.push(root);
    const run = async (trusted: boolean) => {
      const client = await serve(root, { workspaceTrusted: trusted });
      const uri = client.open(join(root, 'svc/Dockerfile'), UNOPTIMIZED);
      const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'dockerignore-missing'));
      const missing = diagnostics.find((d) => d.code === 'dockerignore-missing')!;
      const [action] = (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: missing.range,
        context: { diagnostics: [missing], only: ['quickfix'] },
      })) as CodeAction[];
      return action.edit!;
    };
    const untrusted = await run(false);
    const create = untrusted.documentChanges!.find((c) => 'kind' in c && c.kind === 'create') as CreateFile;
    assert.equal(URI.parse(create.uri).fsPath, join(root, 'svc/.dockerignore'));
    assert.equal(create.annotationId, 'dockopt.otherFiles');
    assert.equal(untrusted.changeAnnotations!['dockopt.otherFiles'].needsConfirmation, true);
    const trusted = await run(true);
    assert.equal(trusted.changeAnnotations, undefined);
  });
});
