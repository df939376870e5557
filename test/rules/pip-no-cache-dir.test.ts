import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rule } from '../../server/src/rules/pip-no-cache-dir';
import type { Finding } from '../../server/src/rules/types';
import { check, fix } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.cache/pip';

function only(text: string): Finding {
  const findings = check(rule, text);
  assert.equal(findings.length, 1, `expected one finding, got ${JSON.stringify(findings.map((f) => f.message))}`);
  return findings[0];
}

// The "after" state of the report this project started from: the mount was added, the flag kept.
const SEED_AFTER = [
  'FROM python:3.12-alpine',
  'WORKDIR /app',
  'COPY requirements-prod.txt .',
  '# Python services',
  'RUN --mount=type=cache,target=/root/.cache/pip \\',
  '    pip install --no-cache-dir --user -r requirements-prod.txt',
  'COPY . .',
  '',
].join('\n');

describe('pip-no-cache-dir: fires and fixes', () => {
  test("the seed's \"after\" RUN: --no-cache-dir keeps its new cache mount empty", () => {
    const finding = only(SEED_AFTER);
    assert.ok(
      finding.message.startsWith(
        "--no-cache-dir turns off pip's cache, so the cache mount on /root/.cache/pip stays empty and every build downloads again",
      ),
      finding.message,
    );
    assert.deepEqual(finding.range, { start: { line: 5, character: 16 }, end: { line: 5, character: 30 } });
    assert.equal(finding.fixes[0].isPreferred, true);
  });

  test("the seed's \"after\" RUN fixes to the mount without the flag", () => {
    assert.equal(
      fix(rule, SEED_AFTER),
      SEED_AFTER.replace('    pip install --no-cache-dir --user -r requirements-prod.txt', '    pip install --user -r requirements-prod.txt'),
    );
  });

  test('removes every --no-cache-dir of the RUN in one finding', () => {
    const text = `FROM python:3.12\nRUN ${MOUNT} pip install --no-cache-dir -U pip && pip install -r r.txt --no-cache-dir\n`;
    assert.match(only(text).message, /\(2 times in this RUN\)/);
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install -U pip && pip install -r r.txt\n`);
  });

  test('two --no-cache-dir side by side across the last continuation are removed in one pass', () => {
    const text = `FROM python:3.12\nRUN ${MOUNT} pip install flask --no-cache-dir \\\n    --no-cache-dir\nCOPY . .\n`;
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install flask\nCOPY . .\n`);
  });

  test('two --no-cache-dir alone on the last line go with the line', () => {
    const text = `FROM python:3.12\nRUN ${MOUNT} pip install -r r.txt \\\n    --no-cache-dir --no-cache-dir\nCOPY . .\n`;
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install -r r.txt\nCOPY . .\n`);
  });

  test('no fix when removing the flag would turn the rest of its line into a comment line', () => {
    // `    # why` inside a continued RUN would be dropped by Docker, and the RUN would run on.
    const text = `FROM python:3.12\nRUN ${MOUNT} pip install \\\n    --no-cache-dir # why\nCOPY . .\n`;
    assert.deepEqual(only(text).fixes, []);
  });

  test('no fix when the flag follows an escaped blank', () => {
    // `./my\ ` is one word ending in a blank; removing the blanks before the flag would change it.
    const text = `FROM python:3.12\nRUN ${MOUNT} pip install ./my\\  --no-cache-dir\n`;
    assert.deepEqual(only(text).fixes, []);
  });

  test('a PIP_NO_CACHE_DIR assignment in the RUN, whatever its value', () => {
    for (const value of ['1', 'true', 'off', 'false', '0', 'no']) {
      const text = `FROM python:3.12\nRUN ${MOUNT} PIP_NO_CACHE_DIR=${value} pip install flask\n`;
      assert.match(only(text).message, new RegExp(`^PIP_NO_CACHE_DIR=${value} turns off pip's cache`));
      assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`);
    }
  });

  test('a PIP_NO_CACHE_DIR given to env', () => {
    assert.equal(
      fix(rule, `FROM python:3.12\nRUN ${MOUNT} env PIP_NO_CACHE_DIR=1 python -m pip install flask\n`),
      `FROM python:3.12\nRUN ${MOUNT} env python -m pip install flask\n`,
    );
  });

  test('exec form', () => {
    assert.equal(
      fix(rule, `FROM python:3.12\nRUN ${MOUNT} ["pip","install","--no-cache-dir","flask"]\n`),
      `FROM python:3.12\nRUN ${MOUNT} ["pip","install","flask"]\n`,
    );
  });

  test('heredoc', () => {
    assert.equal(
      fix(rule, `FROM python:3.12\nRUN ${MOUNT} <<EOF\npip install --no-cache-dir \\\n    flask\nEOF\n`),
      `FROM python:3.12\nRUN ${MOUNT} <<EOF\npip install \\\n    flask\nEOF\n`,
    );
  });

  test('CRLF and # escape=` files keep their bytes', () => {
    assert.equal(
      fix(rule, `FROM python:3.12\r\nRUN ${MOUNT} \\\r\n    pip install \\\r\n    --no-cache-dir \\\r\n    flask\r\n`),
      `FROM python:3.12\r\nRUN ${MOUNT} \\\r\n    pip install \\\r\n    flask\r\n`,
    );
    assert.equal(
      fix(rule, `# escape=\`\r\nFROM python:3.12\r\nRUN ${MOUNT} \`\r\n    pip install flask \`\r\n    --no-cache-dir\r\nCOPY . .\r\n`),
      `# escape=\`\r\nFROM python:3.12\r\nRUN ${MOUNT} \`\r\n    pip install flask\r\nCOPY . .\r\n`,
    );
  });

  test('a non-root user with the mount on their cache', () => {
    const text = 'FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001 pip install --no-cache-dir flask\n';
    assert.match(only(text).message, /the cache mount on \/home\/app\/\.cache\/pip stays empty/);
    assert.equal(fix(rule, text), text.replace(' --no-cache-dir', ''));
  });

  test('ENV PIP_NO_CACHE_DIR alone: the ENV instruction goes', () => {
    const text = `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install flask\n`;
    const finding = only(text);
    assert.match(finding.message, /^ENV PIP_NO_CACHE_DIR=1 turns off pip's cache, so the cache mount on \/root\/\.cache\/pip \(the RUN on line 3\) stays empty/);
    assert.deepEqual(finding.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 22 } });
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`);
  });

  test('legacy ENV PIP_NO_CACHE_DIR 1 in the stage a stage builds on', () => {
    const text = `FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR 1\nWORKDIR /app\nFROM base\nRUN ${MOUNT} pip install flask`;
    assert.equal(fix(rule, text), `FROM python:3.12 AS base\nWORKDIR /app\nFROM base\nRUN ${MOUNT} pip install flask`);
  });

  test('ENV with other properties on one line: only the property goes', () => {
    const text = `FROM python:3.12\nENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=on PIP_DISABLE_PIP_VERSION_CHECK=1\nRUN ${MOUNT} pip install flask\n`;
    assert.equal(fix(rule, text), `FROM python:3.12\nENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1\nRUN ${MOUNT} pip install flask\n`);
  });

  test('ENV over continued lines: the property line goes, or the continuation before a last one', () => {
    const middle = `FROM python:3.12\nENV PYTHONUNBUFFERED=1 \\\n    PIP_NO_CACHE_DIR=1 \\\n    PIP_DISABLE_PIP_VERSION_CHECK=1\nRUN ${MOUNT} pip install flask\n`;
    assert.equal(fix(rule, middle), `FROM python:3.12\nENV PYTHONUNBUFFERED=1 \\\n    PIP_DISABLE_PIP_VERSION_CHECK=1\nRUN ${MOUNT} pip install flask\n`);
    const last = `FROM python:3.12\r\nENV PYTHONUNBUFFERED=1 \\\r\n    PIP_NO_CACHE_DIR="true"\r\nRUN ${MOUNT} pip install flask\r\n`;
    assert.equal(fix(rule, last), `FROM python:3.12\r\nENV PYTHONUNBUFFERED=1\r\nRUN ${MOUNT} pip install flask\r\n`);
  });

  test('one finding for an ENV that several mounted RUNs inherit, naming them', () => {
    const text = `FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install a\nFROM base\nRUN ${MOUNT} pip install b\n`;
    const finding = only(text);
    assert.match(finding.message, /the RUNs on lines 3, 5/);
    assert.equal(fix(rule, text), `FROM python:3.12 AS base\nRUN ${MOUNT} pip install a\nFROM base\nRUN ${MOUNT} pip install b\n`);
  });

  test('every ENV that removing the last one would bring back goes in the same pass', () => {
    const text = `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nENV PIP_NO_CACHE_DIR=yes\nRUN ${MOUNT} pip install flask\n`;
    assert.equal(check(rule, text).length, 2);
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`);
  });

  test('says which pip RUNs under the ENV have no mount yet', () => {
    const text = `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install a\nRUN pip install b\n`;
    assert.match(only(text).message, /pip without a cache mount on line 4: give it one \(pip-cache-mount\)/);
  });

  test('the ENV and the flag of one RUN are two findings, fixed together', () => {
    const text = `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} pip install --no-cache-dir flask\n`;
    assert.equal(check(rule, text).length, 2);
    assert.equal(fix(rule, text), `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`);
  });
});

describe('pip-no-cache-dir: does not fire', () => {
  for (const [what, text] of [
    ['without a cache mount (pip-cache-mount reports it)', 'FROM python:3.12\nRUN pip install --no-cache-dir flask\n'],
    ['with a cache mount on another directory', 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm pip install --no-cache-dir flask\n'],
    ["with root's mount under a non-root user (pip-cache-mount reports it)", `FROM python:3.12\nRUN useradd -u 1001 app\nUSER app\nRUN ${MOUNT} pip install --no-cache-dir flask\n`],
    ['when pip is not there', `FROM python:3.12\nRUN ${MOUNT} echo --no-cache-dir\n`],
    ['for pip uninstall', `FROM python:3.12\nRUN ${MOUNT} pip uninstall --no-cache-dir -y flask\n`],
    ['when pip keeps its cache on', `FROM python:3.12\nRUN ${MOUNT} pip install flask\n`],
    ['for an empty PIP_NO_CACHE_DIR (pip ignores it)', `FROM python:3.12\nENV PIP_NO_CACHE_DIR=\nRUN ${MOUNT} PIP_NO_CACHE_DIR= pip install flask\n`],
    ['when the RUN empties an ENV PIP_NO_CACHE_DIR', `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} PIP_NO_CACHE_DIR= pip install flask\n`],
    ['when a later ENV empties PIP_NO_CACHE_DIR', `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nENV PIP_NO_CACHE_DIR=""\nRUN ${MOUNT} pip install flask\n`],
    ['for an ENV after the RUN', `FROM python:3.12\nRUN ${MOUNT} pip install flask\nENV PIP_NO_CACHE_DIR=1\n`],
    ['for an ENV of another stage', `FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN ${MOUNT} pip install flask\n`],
    ['when sudo resets the environment', `FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN ${MOUNT} sudo pip install flask\n`],
  ]) {
    test(what, () => {
      assert.deepEqual(check(rule, text), []);
    });
  }

  test('with # dockopt ignore=pip-no-cache-dir on the line before', () => {
    assert.deepEqual(check(rule, `FROM python:3.12\n# dockopt ignore=pip-no-cache-dir\nRUN ${MOUNT} pip install --no-cache-dir flask\n`), []);
  });
});
