/**
 * The linear placement of comments into build stages (server/src/dockerfile/comment-placement.ts)
 * is in place and changes nothing: on every fixture and benchmark shape, each stage (and the
 * instructions before the first FROM) gets the same comments in the same order as
 * dockerfile-ast's own placement, run again on a fresh parse. And it is linear: it reads each
 * stage's range once per parse, where dockerfile-ast read every stage's range for every comment.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DockerfileParser, type Dockerfile, type ImageTemplate } from 'dockerfile-ast';
import { denseDockerfile } from '../../bench/dense-dockerfile';
import { realWorldDockerfile } from '../../bench/dockerfiles';
import { manyStages } from '../../bench/pathological-dockerfiles';
import { commentPlacementInstalled, placeCommentsAsDockerfileAst } from '../../server/src/dockerfile/comment-placement';
import '../../server/src/dockerfile/model';

interface Internals {
  initialInstructions: ImageTemplate;
  buildStages: ImageTemplate[];
}

const EDGES = [
  '# only a comment\n',
  '# escape=`\n# a comment after the directive\nFROM scratch\n',
  'ARG BASE=alpine\n# between the ARGs\nARG TAG=3\n# after the last ARG\nFROM $BASE:$TAG AS one\n# in one\nRUN true\n\n# between stages\nFROM one\n  # indented\nRUN a \\\n# inside a continuation\n  b\n# at the end',
  'FROM a\r\n# crlf\r\nRUN <<EOF\r\n# a heredoc line\r\nEOF\r\n# after the heredoc\r\nFROM b\r\n',
  '\uFEFF# a BOM, then\nFROM a\n#\n#no space\nFROM b AS c\n',
];

function fixtures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) fixtures(path, out);
    else if (/Dockerfile|\.dockerfile$/i.test(name)) out.push(readFileSync(path, 'utf8'));
  }
  return out;
}

/** Where each comment went: per template, the comments' start positions in order. */
function placement(dockerfile: Dockerfile): string[] {
  const { initialInstructions, buildStages } = dockerfile as unknown as Internals;
  return [initialInstructions, ...buildStages].map((template) => template.getComments().map((c) => `${c.getRange().start.line}:${c.getRange().start.character}`).join(' '));
}

/** dockerfile-ast's own placement on a fresh parse: its templates emptied of the comments the linear one gave them. */
function placedByDockerfileAst(text: string): string[] {
  const dockerfile = DockerfileParser.parse(text);
  const { initialInstructions, buildStages } = dockerfile as unknown as Internals;
  for (const template of [initialInstructions, ...buildStages]) template.getComments().length = 0;
  placeCommentsAsDockerfileAst(dockerfile);
  return placement(dockerfile);
}

test('the linear placement is installed', () => {
  assert.ok(commentPlacementInstalled);
});

test('every stage gets the comments dockerfile-ast gives it, in its order', () => {
  const texts = [...EDGES, ...fixtures(join(__dirname, '..', 'fixtures')), ...fixtures(join(__dirname, '..', '..', 'examples')), denseDockerfile(300), realWorldDockerfile(1500), manyStages(20 * 1024)];
  let comments = 0;
  for (const text of texts) {
    const placed = placement(DockerfileParser.parse(text));
    assert.deepEqual(placed, placedByDockerfileAst(text), text.slice(0, 200));
    comments += placed.join(' ').split(' ').filter(Boolean).length;
  }
  assert.ok(comments > 100, `${comments} comments placed`);
});

test('each stage range is read once per parse, not once per comment', () => {
  const text = realWorldDockerfile(3000);
  const dockerfile = DockerfileParser.parse(text);
  const { initialInstructions, buildStages } = dockerfile as unknown as Internals;
  assert.ok(buildStages.length > 20 && dockerfile.getComments().length > 20, `${buildStages.length} stages, ${dockerfile.getComments().length} comments`);
  let reads = 0;
  for (const template of [initialInstructions, ...buildStages]) {
    const getRange = template.getRange.bind(template);
    template.getRange = () => (reads++, getRange());
    template.getComments().length = 0;
  }
  (dockerfile as unknown as { organizeComments(): void }).organizeComments();
  assert.ok(reads <= buildStages.length + 1, `${reads} range reads for ${buildStages.length} stages`);
});
