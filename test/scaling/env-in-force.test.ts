/**
 * The ENV in force at each instruction (dockerfile/env-scope.ts): the same values as reading
 * the file instruction by instruction, and no map copied per ENV (that made a long Dockerfile
 * cost ENVs² in time and memory).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerfile, readEnv } from '../../server/src/dockerfile/model';
import { snapshotWork, workSince } from '../../server/src/work-counters';

/** The reference: walk the instructions, copying maps, as the model used to. */
function naiveEnvs(text: string): Array<Map<string, string>> {
  const model = parseDockerfile(text);
  const finals = new Map<string, Map<string, string>>();
  const out: Array<Map<string, string>> = [];
  let env = new Map<string, string>();
  for (const info of model.instructions) {
    if (info.keyword === 'FROM') {
      if (info.stage?.parent) env = new Map(finals.get(String(info.stage.parent.index)));
      else env = new Map();
    }
    out.push(new Map(env));
    if (info.keyword === 'ENV') for (const [k, v] of readEnv(info.ast)) env.set(k, v);
    if (info.stage) finals.set(String(info.stage.index), env);
  }
  return out;
}

const TEXT = [
  'ARG BASE=python:3.12',
  'FROM ${BASE} AS base',
  'ENV A=1 B=2',
  'RUN echo',
  'ENV A=3',
  'ENV C="quoted value" D=',
  'RUN echo',
  'FROM base AS child',
  'RUN echo',
  'ENV B=20 E=5',
  'RUN echo',
  'FROM python:3.12 AS other',
  'ENV A=100',
  'RUN echo',
  'FROM child',
  'ENV legacy value with spaces',
  'RUN echo',
  '',
].join('\n');

test('get, has, size and iteration (in Map order) match a reading instruction by instruction', () => {
  const model = parseDockerfile(TEXT);
  const expected = naiveEnvs(TEXT);
  model.instructions.forEach((info, k) => {
    const want = expected[k];
    assert.deepEqual([...info.env], [...want], `line ${info.range.start.line + 1}`);
    assert.equal(info.env.size, want.size);
    for (const key of ['A', 'B', 'C', 'D', 'E', 'legacy', 'MISSING']) {
      assert.equal(info.env.get(key), want.get(key), `${key} at line ${info.range.start.line + 1}`);
      assert.equal(info.env.has(key), want.has(key));
    }
    const viaForEach: Array<[string, string]> = [];
    info.env.forEach((v, key) => viaForEach.push([key, v]));
    assert.deepEqual(viaForEach, [...want]);
  });
  // Spot checks that the reference reads what BuildKit does.
  const last = model.instructions[model.instructions.length - 1];
  assert.deepEqual(Object.fromEntries(last.env), { A: '3', B: '20', C: 'quoted value', D: '', E: '5', legacy: 'value with spaces' });
});

test('looking variables up at every instruction of 2 000 ENVs copies no map; iterating one copies one', () => {
  const lines = ['FROM python:3.12'];
  for (let n = 0; n < 2000; n++) lines.push(`ENV V_${n}=${n}`, 'RUN echo');
  const model = parseDockerfile(`${lines.join('\n')}\n`);
  const before = snapshotWork();
  for (const info of model.instructions) {
    info.env.get('PIP_NO_CACHE_DIR');
    info.env.get('V_0');
  }
  assert.equal(workSince(before).envEntriesMaterialized, 0);
  const last = model.instructions[model.instructions.length - 1];
  assert.equal(last.env.get('V_1999'), '1999');
  assert.equal([...last.env].length, 2000);
  assert.equal(workSince(before).envEntriesMaterialized, 2000);
});
