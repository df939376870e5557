/**
 * Talks LSP to the real bundled server (`dist/server.js --stdio`, built by `npm test`):
 * diagnostics on open and change, quick fixes, fix-all, .dockerignore edits, settings, bad input.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, TextDocumentEdit, CreateFile } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { TestLspClient } from '../helpers/lsp-client';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const OLD_PYTHON = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n';
const codes = (diagnostics: Array<{ code?: unknown }>) => diagnostics.map((d) => d.code).sort();

function applyEdits(text: string, edits: TextDocumentEdit['edits']): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dockerfile', 1, text), edits as Array<{ range: any; newText: string }>);
}

describe('language server over stdio', () => {
  let root: string;
  let client: TestLspClient;

  before(async () => {
    root = makeWorkspace({
      'svc/Dockerfile': OLD_PYTHON,
      'svc/requirements.txt': 'flask\n',
      'svc/.dockerignore': '.git\n',
      'svc/README.md': '# svc\n',
      'svc/docs/guide.md': 'a guide\n'.repeat(50),
      'compose.yaml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: other/Dockerfile\n',
      'other/Dockerfile': 'FROM python:3.12-slim\nCOPY other/app.py /app/\n',
      'other/app.py': 'print(1)\n',
      'other/.dockerignore': 'tests/\n*.log\n',
    });
    client = new TestLspClient({ folders: [root] });
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  it('publishes dockopt diagnostics with code, source and docs link when a Dockerfile opens', async () => {
    const uri = client.open(join(root, 'svc/Dockerfile'), OLD_PYTHON);
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'python-base-version'));
    const python = diagnostics.find((d) => d.code === 'python-base-version')!;
    assert.equal(python.source, 'dockopt');
    // The page shipped beside the bundle, opened in the editor (dist/server.js → docs/rules/).
    assert.equal(URI.parse(python.codeDescription!.href).fsPath, join(__dirname, '..', '..', 'docs', 'rules', 'python-base-version.md'));
    assert.deepEqual(python.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 21 } });
  });

  it('re-checks on change: fixing the base removes its diagnostic', async () => {
    const uri = URI.file(join(root, 'svc/Dockerfile')).toString();
    const text = OLD_PYTHON.replace('3.11', '3.12');
    const version = client.change(uri, text);
    const diagnostics = await client.diagnostics(uri, (_d, p) => p.version === version);
    assert.ok(!codes(diagnostics).includes('python-base-version'));
    client.change(uri, OLD_PYTHON);
  });

  it('offers the preferred quick fix for a diagnostic, with the diagnostic attached', async () => {
    const uri = URI.file(join(root, 'svc/Dockerfile')).toString();
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'python-base-version'));
    const diagnostic = diagnostics.find((d) => d.code === 'python-base-version')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    })) as CodeAction[];
    const preferred = actions.find((a) => a.isPreferred)!;
    assert.equal(preferred.kind, 'quickfix');
    assert.deepEqual(preferred.diagnostics, [diagnostic]);
    const edit = preferred.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(applyEdits(OLD_PYTHON, edit.edits).split('\n')[0], 'FROM python:3.12-slim');
  });

  it('answers source.fixAll.dockopt with one edit that fixes the whole file, and nothing after it', async () => {
    const uri = URI.file(join(root, 'svc/Dockerfile')).toString();
    await client.diagnostics(uri, (d) => d.length > 0);
    const ask = async () =>
      (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll'] },
      })) as CodeAction[];
    const [fixAll] = await ask();
    assert.equal(fixAll.kind, 'source.fixAll.dockopt');
    const edit = fixAll.edit!.documentChanges![0] as TextDocumentEdit;
    const fixed = applyEdits(OLD_PYTHON, edit.edits);
    assert.match(fixed, /^FROM python:3\.12-slim\n/);
    const version = client.change(uri, fixed);
    await client.diagnostics(uri, (_d, p) => p.version === version);
    assert.deepEqual(await ask(), []);
    client.change(uri, OLD_PYTHON);
  });

  it('offers fix-all in the lightbulb only on a dockopt problem (the lightbulb asks on every cursor move)', async () => {
    const uri = URI.file(join(root, 'svc/Dockerfile')).toString();
    const diagnostics = await client.diagnostics(uri, (d) => codes(d).includes('python-base-version'));
    const ask = async (context: object) =>
      ((await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
        context,
      })) as CodeAction[]).map((a) => a.kind);
    assert.deepEqual(await ask({ diagnostics: [] }), []);
    const python = diagnostics.find((d) => d.code === 'python-base-version')!;
    assert.ok((await ask({ diagnostics: [python] })).includes('source.fixAll.dockopt'));
  });

  it('checks an open .dockerignore that no build reads and offers to move it as a file creation', async () => {
    const path = join(root, 'other/.dockerignore');
    const uri = client.open(path, 'tests/\n*.log\n', 'dockerignore');
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'dockerignore-not-applied'));
    const diagnostic = diagnostics.find((d) => d.code === 'dockerignore-not-applied')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    const move = actions.find((a) => a.isPreferred)!;
    const changes = move.edit!.documentChanges!;
    const create = changes.find((c) => (c as CreateFile).kind === 'create') as CreateFile;
    assert.equal(URI.parse(create.uri).fsPath, join(root, 'other/Dockerfile.dockerignore'));
  });

  it('re-checks the Dockerfile when its .dockerignore changes in the editor', async () => {
    const dockerfile = URI.file(join(root, 'svc/Dockerfile')).toString();
    await client.diagnostics(dockerfile, (d) => codes(d).includes('dockerignore-incomplete'));
    const ignore = client.open(join(root, 'svc/.dockerignore'), '.git\n', 'dockerignore');
    client.change(ignore, '.git\ndocs\n**/*.md\n');
    await client.diagnostics(dockerfile, (d) => !codes(d).includes('dockerignore-incomplete'));
    client.change(ignore, '.git\n');
    await client.diagnostics(dockerfile, (d) => codes(d).includes('dockerignore-incomplete'));
    client.close(ignore);
  });

  it('offers the pip cache mount fix that drops --no-cache-dir', async () => {
    const uri = URI.file(join(root, 'svc/Dockerfile')).toString();
    const diagnostics = await client.diagnostics(uri, (d) => codes(d).includes('pip-cache-mount'));
    const diagnostic = diagnostics.find((d) => d.code === 'pip-cache-mount')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    const edit = actions.find((a) => a.isPreferred)!.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(
      applyEdits(OLD_PYTHON, edit.edits).split('\n')[3],
      'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
    );
  });

  it('answers dockopt/workspaceFixes with annotated edits per file and a summary per service', async () => {
    const result = (await client.connection.sendRequest('dockopt/workspaceFixes', {})) as any;
    const dockerfile = result.files.find((f: any) => URI.parse(f.uri).fsPath === join(root, 'svc/Dockerfile'));
    assert.equal(dockerfile.kind, 'edit');
    assert.deepEqual([...new Set(dockerfile.edits.map((e: any) => e.ruleId))].sort(), ['pip-cache-mount', 'python-base-version']);
    assert.ok(dockerfile.edits.every((e: any) => e.service === 'svc'));
    const api = result.services.find((s: any) => s.service === 'api');
    assert.ok(api, JSON.stringify(result.services));
    assert.ok(result.contextBytesSaved > 0);
  });

  it('checks Dockerfile.dockerignore as an ignore file even when the editor calls it a Dockerfile', async () => {
    // A line that is a pattern to Docker and an instruction to a Dockerfile reader.
    const uri = client.open(join(root, 'svc/Dockerfile.dockerignore'), 'FROM python:3.11\n', 'dockerfile');
    // As the ignore file svc/Dockerfile's build reads, it is too thin for a context with docs in it.
    const diagnostics = await client.diagnostics(uri, (d) => codes(d).includes('dockerignore-incomplete'));
    assert.ok(!codes(diagnostics).includes('python-base-version'));
    client.close(uri);
  });

  it('turns a rule off from the settings without a restart', async () => {
    const uri = URI.file(join(root, 'svc/Dockerfile')).toString();
    client.settings = { rules: { 'python-base-version': 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uri, (d) => !codes(d).includes('python-base-version'));
    client.settings = { rules: { 'python-base-version': 'error' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const diagnostics = await client.diagnostics(uri, (d) => codes(d).includes('python-base-version'));
    assert.equal(diagnostics.find((d) => d.code === 'python-base-version')!.severity, 1);
    client.settings = {};
  });

  it('keeps answering after bad input: binary, 3 MB, half-typed heredoc, garbage', async () => {
    const inputs = [
      '\0\x01\x02ELF\0\0binary',
      `FROM python:3.11\n${'RUN echo x\n'.repeat(300_000)}`,
      'FROM python:3.11\nRUN <<EOF\npip install flask\n',
      'FROM\nRUN --mount=\nCOPY\n\\\n[[[\nRUN ["pip", "install"\n',
      '# escape=`\nFROM python:3.11 `\n',
    ];
    for (const [i, text] of inputs.entries()) {
      const uri = client.open(join(root, `bad/Dockerfile.${i}`), text);
      await client.diagnostics(uri);
    }
    const uri = client.open(join(root, 'bad/Dockerfile.ok'), 'FROM python:3.10\n');
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    assert.ok(codes(diagnostics).includes('python-base-version'));
  });
});
