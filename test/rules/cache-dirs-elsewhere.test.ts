/**
 * Cache directories set somewhere other than ENV and the call's flag: an ARG (in the environment of
 * the RUNs after it, in its stage), `npm config set cache`. The mount on that directory is the
 * right one: no finding, no second mount. And the near-worthless findings (pip's own tools,
 * `npm install -g <tool>`) rank below the real installs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rule as npmRule } from '../../server/src/rules/npm-cache-mount';
import { rule as pipRule } from '../../server/src/rules/pip-cache-mount';
import type { Finding } from '../../server/src/rules/types';
import { check, fix } from '../helpers/rule-tester';

function only(findings: Finding[]): Finding {
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
  return findings[0];
}

describe('pip: ARG PIP_CACHE_DIR', () => {
  test('a stage ARG with a default is where pip keeps its cache', () => {
    assert.deepEqual(check(pipRule, 'FROM python:3.12\nARG PIP_CACHE_DIR=/pc\nRUN --mount=type=cache,target=/pc pip install flask\n'), []);
    assert.equal(
      fix(pipRule, 'FROM python:3.12\nARG PIP_CACHE_DIR=/pc\nRUN pip install flask\n'),
      'FROM python:3.12\nARG PIP_CACHE_DIR=/pc\nRUN --mount=type=cache,target=/pc pip install flask\n',
    );
  });

  test('`ARG PIP_CACHE_DIR` alone takes the global default; an ARG builds an ENV value', () => {
    assert.deepEqual(check(pipRule, 'ARG PIP_CACHE_DIR=/pc\nFROM python:3.12\nARG PIP_CACHE_DIR\nRUN --mount=type=cache,target=/pc pip install flask\n'), []);
    assert.deepEqual(check(pipRule, 'FROM python:3.12\nARG CACHE=/c\nENV PIP_CACHE_DIR=$CACHE/pip\nRUN --mount=type=cache,target=/c/pip pip install flask\n'), []);
  });

  test('a global ARG not declared in the stage, an ARG of another stage, or one after the RUN: not in its environment', () => {
    for (const text of [
      'ARG PIP_CACHE_DIR=/pc\nFROM python:3.12\nRUN pip install flask\n',
      'FROM python:3.12 AS base\nARG PIP_CACHE_DIR=/pc\nFROM base\nRUN pip install flask\n',
      'FROM python:3.12\nRUN pip install flask\nARG PIP_CACHE_DIR=/pc\n',
    ]) {
      assert.match(only(check(pipRule, text)).message, /pip keeps its cache in \/root\/\.cache\/pip/, text);
    }
  });

  test('ENV wins over an ARG of the same name', () => {
    assert.match(only(check(pipRule, 'FROM python:3.12\nARG PIP_CACHE_DIR=/a\nENV PIP_CACHE_DIR=/b\nRUN pip install flask\n')).message, /cache in \/b /);
  });
});

describe('npm: npm config set cache, npm_config_cache as ARG', () => {
  test('npm config set cache earlier in the RUN: the mount on that dir counts, no second mount', () => {
    assert.deepEqual(check(npmRule, 'FROM node:20\nRUN --mount=type=cache,target=/npmc npm config set cache /npmc && npm ci\n'), []);
    assert.deepEqual(check(npmRule, 'FROM node:20\nRUN --mount=type=cache,target=/npmc npm set cache=/npmc && npm ci\n'), []);
    assert.equal(
      fix(npmRule, 'FROM node:20\nRUN npm config set cache /npmc --global && npm ci\n'),
      'FROM node:20\nRUN --mount=type=cache,target=/npmc npm config set cache /npmc --global && npm ci\n',
    );
  });

  test('npm config set cache in an earlier RUN of the same user, or global; not another user\'s', () => {
    assert.deepEqual(check(npmRule, 'FROM node:20\nRUN npm config set cache /npmc\nRUN --mount=type=cache,target=/npmc npm ci\n'), []);
    assert.deepEqual(check(npmRule, 'FROM node:20\nRUN npm config set -g cache /npmc\nUSER node\nRUN --mount=type=cache,target=/npmc,uid=1000 npm ci\n'), []);
    assert.match(
      only(check(npmRule, 'FROM node:20\nRUN npm config set cache /npmc\nUSER node\nRUN --mount=type=cache,target=/npmc npm ci\n')).message,
      /npm keeps its cache in \/home\/node\/\.npm/,
    );
  });

  test('a config set after the install does not count', () => {
    assert.match(only(check(npmRule, 'FROM node:20\nRUN npm ci && npm config set cache /npmc\n')).message, /\/root\/\.npm/);
  });

  test('ARG npm_config_cache', () => {
    assert.deepEqual(check(npmRule, 'FROM node:20\nARG npm_config_cache=/npmc\nRUN --mount=type=cache,target=/npmc npm ci\n'), []);
  });
});

describe('near-worthless findings rank below the real installs', () => {
  test('a lone pip install --upgrade pip setuptools wheel: kept, but says it saves little', () => {
    const finding = only(check(pipRule, 'FROM python:3.12\nRUN pip install --upgrade pip setuptools wheel\n'));
    assert.match(finding.message, /only upgrades pip's own tools, which download little/);
    assert.equal(finding.fixes[0].isPreferred, true);
  });

  test('pip upgrading itself before a real install: the finding is on the real install, without the note', () => {
    const finding = only(check(pipRule, 'FROM python:3.12\nRUN pip install -U pip && pip install -r requirements.txt\n'));
    assert.deepEqual(finding.range, { start: { line: 1, character: 26 }, end: { line: 1, character: 37 } });
    assert.doesNotMatch(finding.message, /saves little/);
  });

  test('a lone npm install -g <tool>: kept, but says it saves little', () => {
    const finding = only(check(npmRule, 'FROM node:20\nRUN npm install -g typescript\n'));
    assert.match(finding.message, /npm install -g installs a tool, which downloads little/);
  });

  test('npm install -g pnpm before pnpm install: the finding is on pnpm install', () => {
    const text = 'FROM node:20\nRUN npm install -g pnpm && pnpm install --frozen-lockfile\n';
    const finding = only(check(npmRule, text));
    assert.deepEqual(finding.range, { start: { line: 1, character: 27 }, end: { line: 1, character: 39 } });
    assert.match(finding.message, /^pnpm install downloads all packages again on every build/);
    assert.match(finding.message, /The npm install -g before it only installs the tool/);
    assert.equal(fix(npmRule, text), 'FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm install -g pnpm && pnpm install --frozen-lockfile\n');
  });

  test('npm install -g yarn before yarn install, and a real npm ci after a global install', () => {
    assert.match(only(check(npmRule, 'FROM node:20\nRUN npm i -g yarn && yarn install\n')).message, /^yarn install downloads/);
    const finding = only(check(npmRule, 'FROM node:20\nRUN npm i -g npm@10 && npm ci\n'));
    assert.equal(finding.range.start.character, 23);
    assert.doesNotMatch(finding.message, /downloads little/);
  });
});
