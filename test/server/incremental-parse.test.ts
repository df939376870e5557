/**
 * The incremental parse (server/src/dockerfile/incremental-parse.ts) must give the model and the
 * findings a full parse gives, after any edit: chains of seeded random edits — the characters
 * that change how a Dockerfile splits into instructions (escapes, newlines, heredoc markers,
 * comments, keywords) typed at random places — over every fixture, the rule pages' examples, the
 * benchmark shapes and inputs written for the parser's corners.
 */
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { parseDockerfile, type DockerfileModel } from '../../server/src/dockerfile/model';
import { commonPrefixLength, commonSuffixLength, MAX_SOURCES, parseInstructions, parsesBehind } from '../../server/src/dockerfile/incremental-parse';
import { lintDockerfile } from '../../server/src/engine';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { denseDockerfile } from '../../bench/dense-dockerfile';
import { realWorldDockerfile } from '../../bench/dockerfiles';
import { managersDockerfile } from '../../bench/managers-dockerfile';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentLinter } from '../../server/src/lsp/document-linter';
import { WorkspaceModel } from '../../server/src/workspace/workspace';
import { makeWorkspace, removeWorkspace } from '../helpers/temp-workspace';

const ROOT = join(__dirname, '..', '..');

/** Parser corners: empty continuation lines, comments inside continuations, heredocs, escapes, CRLF, ONBUILD. */
const CORNERS = [
  'FROM python:3.12\nRUN pip install a \\\n\n    b\nCOPY . .\nRUN pip install -r r.txt\n',
  'FROM node:20\nRUN npm ci \\\n# a comment Docker drops\n  && npm run build\nENV A=1 \\\n    B=2\nUSER node\nRUN npm ci\n',
  'FROM python:3.12\nRUN <<EOF\npip install --no-cache-dir x\nEOF\nRUN <<-A cat > /f <<B\nx\nA\ny\nB\nRUN pip install y\n',
  '# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN pip install `\n    flask\nCOPY . C:/app\nRUN pip install -r C:/app/r.txt\n',
  'FROM python:3.12\r\nRUN pip install --no-cache-dir \\\r\n    flask\r\nCOPY . .\r\nRUN pip install -r requirements.txt\r\n',
  'ARG BASE=python:3.8\nFROM ${BASE} AS build\nONBUILD RUN pip install x\nFROM build\nRUN pip install --no-cache-dir y\nRUN [ "pip", "install", "z" ]\n',
  '\n\n\nFROM alpine\n\n\nRUN apk add --no-cache curl \\\n\n\n\nRUN apk add git\n',
  'FROM python:3.11-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r r.txt\n# dockopt ignore=pip-no-cache-dir\nRUN pip install --no-cache-dir x\n',
];

/** Typed at random places: each can join, split, open or close instructions. */
const TYPED = ['\\', '\n', '\r', '\n\n', ' \\\n', '<<EOF\n', '\nEOF\n', '# ', '#', '`', '\r\n', 'x', ' ', 'RUN pip install q\n', 'FROM debian AS s\n', 'ENV PIP_NO_CACHE_DIR=1\n', '"', '[', '<<EOF', 'EOF', ' && pip install --no-cache-dir r', '-'];

function inputs(): Array<[string, string]> {
  const out: Array<[string, string]> = CORNERS.map((text, k) => [`corner ${k}`, text]);
  const fixtures = join(ROOT, 'test', 'fixtures', 'dockerfiles');
  for (const name of readdirSync(fixtures).sort()) out.push([name, readFileSync(join(fixtures, name), 'utf8')]);
  const services = join(ROOT, 'examples', 'ha-ingestor', 'services');
  for (const name of readdirSync(services).sort()) out.push([`example ${name}`, readFileSync(join(services, name, 'Dockerfile'), 'utf8')]);
  const pages = join(ROOT, 'docs', 'rules');
  for (const page of readdirSync(pages).sort()) {
    if (!statSync(join(pages, page)).isFile()) continue;
    const blocks = [...readFileSync(join(pages, page), 'utf8').matchAll(/```dockerfile\n([\s\S]*?)```/g)].map((m) => m[1]);
    if (blocks.length > 0) out.push([`docs ${page}`, blocks.join('\n')]);
  }
  out.push(['dense', denseDockerfile(120)], ['real-world', realWorldDockerfile(400)], ['managers', managersDockerfile(150)]);
  return out;
}

/** A seeded generator, so a failure names an edit that can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const kind = next();
  if (kind < 0.25 && text.length > 0) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * 3)));
  const typed = TYPED[Math.floor(next() * TYPED.length)];
  return text.slice(0, at) + typed + text.slice(at);
}

/** What a rule can read of an instruction through dockerfile-ast, and the model's own facts. */
function describeInstruction(i: Instruction): unknown {
  const flags = (i as Partial<{ getFlags(): Array<{ getName(): string; getValue(): string | null; getRange(): unknown; getValueRange(): unknown }> }>).getFlags?.() ?? [];
  const heredocs = (i as unknown as Partial<{ getHeredocs(): Array<{ getName(): string; getContentRange(): unknown; getStartRange(): unknown; getNameRange(): unknown }> }>).getHeredocs?.() ?? [];
  const props = (i as Partial<{ getProperties(): Array<{ getName(): string; getValue(): string | null; getRange(): unknown }> }>).getProperties?.() ?? [];
  return {
    keyword: i.getKeyword(),
    range: i.getRange(),
    instructionRange: i.getInstructionRange(),
    args: i.getArguments().map((a) => [a.getValue(), a.getRange()]),
    flags: flags.map((f) => [f.getName(), f.getValue(), f.getRange(), f.getValueRange()]),
    heredocs: heredocs.map((h) => [h.getName(), h.getStartRange(), h.getNameRange(), h.getContentRange()]),
    props: props.map((p) => [p.getName(), p.getValue(), p.getRange()]),
  };
}

function describeModel(model: DockerfileModel): unknown {
  return {
    escapeChar: model.escapeChar,
    eol: model.eol,
    stages: model.stages.map((s) => [s.index, s.name, s.image, s.windows, s.parent?.index, s.instructions.map((i) => i.index)]),
    knownUsers: [...model.knownUsers],
    instructions: model.instructions.map((i) => ({
      ...(describeInstruction(i.ast) as object),
      index: i.index,
      startOffset: i.startOffset,
      endOffset: i.endOffset,
      stage: i.stage?.index,
      user: i.user,
      env: [...i.env],
      ignored: [...i.ignored],
    })),
  };
}

function findingsOf(text: string, model: DockerfileModel): string[] {
  return lintDockerfile({ path: '/project/Dockerfile', model, builds: [], settings: DEFAULT_SETTINGS }).map((f) =>
    JSON.stringify([f.ruleId, f.severity, f.range, f.message, f.fixes]),
  );
}

test('after every edit of a chain, the incremental model and its findings are a full parse’s', () => {
  let edits = 0;
  let reused = 0;
  for (const [name, original] of inputs()) {
    const next = random(name.length * 7919 + original.length);
    let text = original;
    let model = parseDockerfile(text);
    for (let k = 0; k < 12; k++) {
      const changed = edit(text, next);
      const incremental = parseDockerfile(changed, model.parse);
      const full = parseDockerfile(changed);
      const where = `${name}, edit ${k}: ${JSON.stringify(changed.slice(0, 400))}`;
      assert.deepEqual(describeModel(incremental), describeModel(full), where);
      assert.deepEqual(findingsOf(changed, incremental), findingsOf(changed, full), where);
      edits++;
      reused += reusedCount(model, incremental);
      text = changed;
      model = incremental;
    }
  }
  // The test would prove nothing if no edit had reused anything.
  assert.ok(reused > edits, `only ${reused} instructions reused over ${edits} edits`);
});

/** How many of `after`'s instructions are `before`'s own objects. */
function reusedCount(before: DockerfileModel, after: DockerfileModel): number {
  const old = new Set(before.parse.instructions);
  return after.parse.instructions.filter((i) => old.has(i)).length;
}

test('an edit at the end reuses every instruction above it, one within a line all but the one edited and the one before, one at the top none', () => {
  const text = denseDockerfile(600);
  const model = parseDockerfile(text);
  const count = model.instructions.length;
  const appended = parseDockerfile(`${text}# edit\n`, model.parse);
  assert.equal(reusedCount(model, appended), count - 1);
  const middle = text.indexOf('ENV STEP_50=');
  const typed = parseDockerfile(`${text.slice(0, middle)}x${text.slice(middle)}`, model.parse);
  assert.equal(reusedCount(model, typed), count - 2, 'the ENV typed in and the instruction before it are parsed again');
  const newline = parseDockerfile(`${text.slice(0, middle)}\n${text.slice(middle)}`, model.parse);
  const before = model.instructions.filter((i) => i.startOffset < middle).length;
  assert.equal(reusedCount(model, newline), before - 1, 'a new line: the instructions after it are parsed again');
  assert.equal(reusedCount(model, parseDockerfile(`#\n${text}`, model.parse)), 0);
});

test('a continuation typed at the end of a line joins the next instruction: nothing after the edit is kept wrongly', () => {
  const text = 'FROM python:3.12\nCOPY r.txt .\nRUN pip install -r r.txt\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x\nLABEL a=b\n';
  const model = parseDockerfile(text);
  const at = text.indexOf('\nENV');
  const joined = `${text.slice(0, at)} \\${text.slice(at)}`;
  const incremental = parseDockerfile(joined, model.parse);
  assert.deepEqual(describeModel(incremental), describeModel(parseDockerfile(joined)));
  assert.deepEqual(incremental.instructions.map((i) => i.keyword), ['FROM', 'COPY', 'RUN', 'RUN', 'LABEL']);
});

test('a version whose parses hold more than twice its instructions is parsed in full again', () => {
  const text = denseDockerfile(600);
  let model = parseDockerfile(text);
  const count = model.instructions.length;
  const held: number[] = [];
  // A new line, each further down than the last: the part of the file between two of them comes
  // from the parse before, which holds the whole rest of the file too.
  let current = text;
  const full: boolean[] = [];
  for (let k = 0; k < 6; k++) {
    const at = current.indexOf(`ENV STEP_${10 + k * 15}=`);
    current = `${current.slice(0, at)}\n${current.slice(at)}`;
    model = parseDockerfile(current, model.parse);
    held.push([...model.parse.sizes.values()].reduce((a, b) => a + b, 0));
    full.push(model.parse.sizes.size === 1);
  }
  assert.ok(Math.max(...held) <= 2 * count + 64, `instructions held per version: ${held.join(', ')} for ${count}`);
  assert.ok(full.slice(1).includes(true), `never parsed in full again: ${held.join(', ')}`);
});

test('a version built on too many parses is parsed in full again, so old texts are let go', () => {
  let text = denseDockerfile(300);
  let model = parseDockerfile(text);
  const sources: number[] = [];
  for (let k = 0; k < MAX_SOURCES + 3; k++) {
    // Each edit further down than the last: every version keeps some instructions of each parse before it.
    const at = text.indexOf(`ENV STEP_${10 + k * 3}=`);
    text = `${text.slice(0, at)}y${text.slice(at)}`;
    model = parseDockerfile(text, model.parse);
    sources.push(parsesBehind(model.parse.parses).size);
  }
  assert.ok(Math.max(...sources) <= MAX_SOURCES, `sources per version: ${sources.join(', ')}`);
  assert.ok(sources.includes(1), `never parsed in full again: ${sources.join(', ')}`);
});

test('commonPrefixLength finds where two texts first differ', () => {
  assert.equal(commonPrefixLength('', ''), 0);
  assert.equal(commonPrefixLength('abc', 'abc'), 3);
  assert.equal(commonPrefixLength('abc', 'abd'), 2);
  assert.equal(commonPrefixLength('abc', 'abcdef'), 3);
  assert.equal(commonPrefixLength('xbc', 'abc'), 0);
  const long = 'a'.repeat(100_000);
  assert.equal(commonPrefixLength(`${long}b${long}`, `${long}c${long}`), 100_000);
});

test('commonSuffixLength counts the characters two texts end with alike, up to a limit', () => {
  assert.equal(commonSuffixLength('abc', 'xbc', 3), 2);
  assert.equal(commonSuffixLength('abc', 'abc', 3), 3);
  assert.equal(commonSuffixLength('abc', 'abc', 1), 1);
  assert.equal(commonSuffixLength('abc', 'abd', 3), 0);
  assert.equal(commonSuffixLength('', 'a', 0), 0);
});

test('without a last version, or with an edit above every instruction, the whole text is parsed', () => {
  const text = 'FROM a\nRUN b\n';
  const document = TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text);
  const first = parseInstructions(text, document);
  assert.equal(new Set(first.parses).size, 1, 'one parse made every instruction');
  assert.equal(first.instructions.length, 2);
  const again = `# c\n${text}`;
  const second = parseInstructions(again, TextDocument.create('file:///Dockerfile', 'dockerfile', 1, again), first);
  assert.equal(second.instructions.filter((i) => first.instructions.includes(i)).length, 0, 'no instruction of the last version kept');
});

describe('DocumentLinter: each version parsed from the last one', () => {
  let root: string;
  let workspace: WorkspaceModel;
  before(() => {
    root = makeWorkspace({ 'Dockerfile': 'FROM python:3.11-slim\n', 'requirements.txt': 'flask\n' });
    workspace = new WorkspaceModel({ roots: [root] });
  });
  after(() => removeWorkspace(root));

  it('an edited version reuses the last version’s instructions and gets a fresh linter’s findings', () => {
    const path = join(root, 'Dockerfile');
    const linter = new DocumentLinter(workspace, () => {});
    const text = denseDockerfile(300);
    linter.lint({ path, version: 1, text, languageId: 'dockerfile' }, DEFAULT_SETTINGS);
    const first = linter.modelOf({ path, version: 1, text, languageId: 'dockerfile' });
    const at = text.indexOf('ENV STEP_20=');
    const edited = { path, version: 2, text: `${text.slice(0, at)}ENV PIP_NO_CACHE_DIR=1\n${text.slice(at)}`, languageId: 'dockerfile' };
    const findings = linter.lint(edited, DEFAULT_SETTINGS);
    const second = linter.modelOf(edited);
    assert.ok(first && second);
    assert.ok(reusedCount(first, second) > 0, 'nothing reused');
    const fresh = new DocumentLinter(workspace, () => {}).lint(edited, DEFAULT_SETTINGS);
    const key = (f: { ruleId: string; range: unknown; message: string }) => JSON.stringify([f.ruleId, f.range, f.message]);
    assert.deepEqual(findings.map(key), fresh.map(key));
  });
});
