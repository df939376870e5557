/**
 * The "Disable <rule> for this line / this file" quick fixes over LSP, against the real bundled
 * server: offered on each dockopt diagnostic, and once applied the diagnostic goes away.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestLspClient } from '../helpers/lsp-client';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const DOCKERFILE = 'FROM python:3.11-slim\r\nWORKDIR /app\r\nCOPY requirements.txt .\r\n    RUN pip install -r requirements.txt\r\n';

describe('Disable for this line / this file, over LSP', () => {
  let root: string;
  let client: TestLspClient;
  before(async () => {
    root = makeWorkspace({ 'svc/Dockerfile': DOCKERFILE, 'svc/requirements.txt': 'flask\n', 'svc/.dockerignore': '.git\n' });
    client = new TestLspClient({ folders: [root] });
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  async function actionsFor(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    return (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    })) as CodeAction[];
  }

  function applied(text: string, action: CodeAction): string {
    const change = action.edit!.documentChanges![0] as TextDocumentEdit;
    return TextDocument.applyEdits(TextDocument.create('file:///x', 'dockerfile', 1, text), change.edits as Array<{ range: any; newText: string }>);
  }

  it('offers both on a Dockerfile diagnostic; the line form silences that instruction', async () => {
    const uri = client.open(join(root, 'svc/Dockerfile'), DOCKERFILE);
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'pip-cache-mount'));
    const pip = diagnostics.find((d) => d.code === 'pip-cache-mount')!;
    const actions = await actionsFor(uri, pip);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Disable pip-cache-mount for this line'), titles.join(' | '));
    assert.ok(titles.includes('Disable pip-cache-mount for this file'), titles.join(' | '));
    const line = actions.find((a) => a.title === 'Disable pip-cache-mount for this line')!;
    assert.equal(line.kind, 'quickfix');
    assert.ok(!line.isPreferred, 'never the preferred fix: fix-all must not apply it');
    const text = applied(DOCKERFILE, line);
    assert.equal(text, DOCKERFILE.replace('    RUN pip', '    # dockopt ignore=pip-cache-mount\r\n    RUN pip'));
    const version = client.change(uri, text);
    const after = await client.diagnostics(uri, (_d, p) => p.version === version);
    assert.ok(!after.some((d) => d.code === 'pip-cache-mount'));
    assert.ok(after.some((d) => d.code === 'python-base-version'), 'other rules still report');
  });

  it('the file form silences the rule everywhere in the file', async () => {
    const uri = client.open(join(root, 'svc/Dockerfile'), DOCKERFILE);
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'python-base-version'));
    const python = diagnostics.find((d) => d.code === 'python-base-version')!;
    const file = (await actionsFor(uri, python)).find((a) => a.title === 'Disable python-base-version for this file')!;
    const text = applied(DOCKERFILE, file);
    assert.ok(text.startsWith('# dockopt global ignore=python-base-version\r\nFROM python:3.11-slim'));
    const version = client.change(uri, text);
    const after = await client.diagnostics(uri, (_d, p) => p.version === version);
    assert.ok(!after.some((d) => d.code === 'python-base-version'));
  });
});
