/**
 * Cache wipes in the RUN that installs: with a cache mount, `rm -rf` of the mount point fails the
 * build ("Device or resource busy") and a purge empties the cache on every build. The fix that
 * adds the mount removes them, keeping the rest of the chain; a RUN that has the mount and still
 * wipes it gets a finding with the same removal.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule as npmRule } from '../../server/src/rules/npm-cache-mount';
import { rule as pipRule } from '../../server/src/rules/pip-cache-mount';
import { rule as noCacheRule } from '../../server/src/rules/pip-no-cache-dir';
import type { Finding } from '../../server/src/rules/types';
import { check, fix, fixOnce } from '../helpers/rule-tester';

const PIP = '--mount=type=cache,target=/root/.cache/pip';
const NPM = '--mount=type=cache,target=/root/.npm';

function only(findings: Finding[]): Finding {
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
  return findings[0];
}

describe('pip-cache-mount: the fix also removes the wipes of the new mount', () => {
  for (const [what, run, after] of [
    ['rm -rf of the cache dir after &&', 'pip install -r r.txt && rm -rf /root/.cache/pip', 'pip install -r r.txt'],
    ['rm -rf ~/.cache/pip', 'pip install -r r.txt && rm -rf ~/.cache/pip', 'pip install -r r.txt'],
    ['rm -rf $HOME/.cache (a parent)', 'pip install -r r.txt && rm -rf $HOME/.cache', 'pip install -r r.txt'],
    ['rm -rf /root/.cache/* (a glob that matches it)', 'pip install -r r.txt && rm -rf /root/.cache/*', 'pip install -r r.txt'],
    ['pip cache purge in the middle', 'pip install -r r.txt && pip cache purge && python -m compileall .', 'pip install -r r.txt && python -m compileall .'],
    ['python -m pip cache purge after ;', 'pip install flask; python -m pip cache purge', 'pip install flask'],
    ['the wipe first', 'rm -rf /root/.cache/pip && pip install flask', 'pip install flask'],
    ['|| true stays with what is left', 'pip install flask && rm -rf /root/.cache/pip || true', 'pip install flask || true'],
    ['only the operand that hits the cache', 'pip install flask && rm -rf /var/lib/apt/lists/* /root/.cache/pip /tmp/x', 'pip install flask && rm -rf /var/lib/apt/lists/* /tmp/x'],
  ]) {
    test(what, () => {
      const text = `FROM python:3.12\nRUN ${run}\n`;
      const finding = only(check(pipRule, text));
      assert.match(finding.message, /The RUN also wipes that cache/);
      assert.equal(fix(pipRule, text), `FROM python:3.12\nRUN ${PIP} ${after}\n`);
    });
  }

  test('a wipe on its own continued line goes with the line; the line before loses its escape at the end', () => {
    assert.equal(
      fix(pipRule, 'FROM python:3.12\nRUN pip install --no-cache-dir -r r.txt \\\n    && rm -rf /root/.cache/pip\nCOPY . .\n'),
      `FROM python:3.12\nRUN ${PIP} pip install -r r.txt\nCOPY . .\n`,
    );
    assert.equal(
      fix(pipRule, 'FROM python:3.12\nRUN pip install -r r.txt \\\n    && rm -rf /root/.cache/pip \\\n    && useradd app\n'),
      `FROM python:3.12\nRUN ${PIP} pip install -r r.txt \\\n    && useradd app\n`,
    );
    assert.equal(
      fix(pipRule, 'FROM python:3.12\nRUN pip install -r r.txt && \\\n    pip cache purge && \\\n    useradd app\n'),
      `FROM python:3.12\nRUN ${PIP} pip install -r r.txt && \\\n    useradd app\n`,
    );
  });

  test('CRLF and # escape=` keep their bytes', () => {
    assert.equal(
      fix(pipRule, 'FROM python:3.12\r\nRUN pip install -r r.txt \\\r\n    && rm -rf /root/.cache/pip\r\nCOPY . .\r\n'),
      `FROM python:3.12\r\nRUN ${PIP} pip install -r r.txt\r\nCOPY . .\r\n`,
    );
    assert.equal(
      fix(pipRule, '# escape=`\nFROM python:3.12\nRUN pip install -r r.txt `\n    && rm -rf /root/.cache/pip\n'),
      `# escape=\`\nFROM python:3.12\nRUN ${PIP} pip install -r r.txt\n`,
    );
  });

  test('heredoc: a wipe alone on its line goes with the line', () => {
    assert.equal(
      fix(pipRule, 'FROM python:3.12\nRUN <<EOF\nset -e\npip install -r r.txt\nrm -rf /root/.cache/pip\necho done\nEOF\n'),
      `FROM python:3.12\nRUN ${PIP} <<EOF\nset -e\npip install -r r.txt\necho done\nEOF\n`,
    );
  });

  test('exec form running sh -c: the wipe leaves the script string', () => {
    assert.equal(
      fix(pipRule, 'FROM python:3.12\nRUN ["sh", "-c", "pip install flask && rm -rf /root/.cache/pip"]\n'),
      `FROM python:3.12\nRUN ${PIP} ["sh", "-c", "pip install flask"]\n`,
    );
  });

  test('a wipe it cannot remove cleanly: only the mount, not preferred, and the title says what to remove', () => {
    const text = 'FROM python:3.12\nRUN pip install flask && rm -rf /root/.cache/pip 2>/dev/null\n';
    const finding = only(check(pipRule, text));
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.match(finding.fixes[0].title, /then remove rm -rf \/root\/\.cache\/pip by hand/);
    assert.equal(fixOnce(pipRule, text), text);
  });

  test('relative operands are read against the WORKDIR and a cd of the RUN; .. is resolved', () => {
    assert.equal(
      fix(pipRule, 'FROM python:3.12\nWORKDIR /root\nRUN pip install flask && rm -rf .cache/pip\n'),
      `FROM python:3.12\nWORKDIR /root\nRUN ${PIP} pip install flask\n`,
    );
    assert.equal(fix(pipRule, 'FROM python:3.12\nRUN pip install flask && cd /root && rm -rf .cache\n'), `FROM python:3.12\nRUN ${PIP} pip install flask && cd /root\n`);
    assert.equal(fix(pipRule, 'FROM python:3.12\nRUN pip install flask && rm -rf /root/x/../.cache/pip\n'), `FROM python:3.12\nRUN ${PIP} pip install flask\n`);
  });

  test('an rm dockopt cannot resolve may remove the cache: the fix is offered, not applied', () => {
    for (const run of ['pip install flask && rm -rf $CLEANUP', 'pip install flask && cd "$(mktemp -d)" && rm -rf ../*']) {
      const text = `FROM python:3.12\nRUN ${run}\n`;
      const finding = only(check(pipRule, text));
      assert.match(finding.message, /dockopt cannot tell what `rm -rf [^`]+` removes/, run);
      assert.equal(finding.fixes[0].isPreferred, false);
      assert.match(finding.fixes[0].title, /\(check that rm -rf .+ leaves it alone\)$/);
      assert.equal(fixOnce(pipRule, text), text);
    }
    // Known to miss the cache: no doubt.
    assert.equal(only(check(pipRule, 'FROM python:3.12\nENV D=/tmp/x\nRUN pip install flask && rm -rf $D\n')).fixes[0].isPreferred, true);
  });

  test('not wipes: other dirs, other users\' caches, globs that do not match the dot dir, pip cache list', () => {
    for (const run of [
      'pip install flask && rm -rf /tmp/* /var/lib/apt/lists/*',
      'pip install flask && rm -rf /root/*',
      'pip install flask && rm -rf /home/app/.cache/pip',
      'pip install flask && pip cache list',
      'pip install flask && echo rm -rf /root/.cache/pip',
    ]) {
      const finding = only(check(pipRule, `FROM python:3.12\nRUN ${run}\n`));
      assert.doesNotMatch(finding.message, /wipes/, run);
      assert.equal(fixOnce(pipRule, `FROM python:3.12\nRUN ${run}\n`), `FROM python:3.12\nRUN ${PIP} ${run}\n`);
    }
  });
});

describe('pip-no-cache-dir: a RUN that mounts the cache and wipes it', () => {
  test('rm -rf of the mount point: the build fails; the fix removes it', () => {
    const text = `FROM python:3.12\nRUN ${PIP} pip install -r r.txt && rm -rf /root/.cache/pip\n`;
    const finding = only(check(noCacheRule, text));
    assert.match(finding.message, /`rm -rf \/root\/\.cache\/pip` wipes the cache mount on \/root\/\.cache\/pip: removing the mount point fails the build/);
    assert.deepEqual(finding.range, { start: { line: 1, character: 71 }, end: { line: 1, character: 94 } });
    assert.equal(fix(noCacheRule, text), `FROM python:3.12\nRUN ${PIP} pip install -r r.txt\n`);
  });

  test('pip cache purge: every build starts empty', () => {
    const text = `FROM python:3.12\nRUN ${PIP} \\\n    pip install -r r.txt \\\n    && pip cache purge\n`;
    assert.match(only(check(noCacheRule, text)).message, /every build starts with an empty cache/);
    assert.equal(fix(noCacheRule, text), `FROM python:3.12\nRUN ${PIP} \\\n    pip install -r r.txt\n`);
  });

  test('a wipe of files inside a parent mount, and the wipe plus --no-cache-dir: two findings, both fixed', () => {
    const parent = 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask && rm -rf /root/.cache/pip\n';
    assert.equal(fix(noCacheRule, parent), 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask\n');
    const both = `FROM python:3.12\nRUN ${PIP} pip install --no-cache-dir flask && pip cache purge\n`;
    assert.equal(check(noCacheRule, both).length, 2);
    assert.equal(fix(noCacheRule, both), `FROM python:3.12\nRUN ${PIP} pip install flask\n`);
  });

  test('no finding without a mount, or when the wipe is in another RUN', () => {
    assert.deepEqual(check(noCacheRule, 'FROM python:3.12\nRUN pip install flask && rm -rf /root/.cache/pip\n'), []);
    assert.deepEqual(check(noCacheRule, `FROM python:3.12\nRUN ${PIP} pip install flask\nRUN rm -rf /root/.cache/pip\n`), []);
  });
});

describe('npm-cache-mount: wipes of npm\'s cache', () => {
  test('npm cache clean --force and rm -rf ~/.npm go with the new mount', () => {
    assert.equal(fix(npmRule, 'FROM node:20\nRUN npm ci && npm cache clean --force\n'), `FROM node:20\nRUN ${NPM} npm ci\n`);
    assert.equal(fix(npmRule, 'FROM node:20\nRUN npm ci \\\n && rm -rf ~/.npm \\\n && npm run build\n'), `FROM node:20\nRUN ${NPM} npm ci \\\n && npm run build\n`);
  });

  test('the --prefer-offline fix removes the wipe too', () => {
    const text = 'FROM node:20\nRUN npm ci && npm cache clean --force\n';
    const finding = only(check(npmRule, text));
    const change = finding.fixes[1].changes[0];
    assert.equal(applyTextEdits(text, change.kind === 'edit' ? change.edits : []).text, `FROM node:20\nRUN ${NPM} npm ci --prefer-offline\n`);
  });

  test('a RUN with the mount that still cleans the cache: a finding that removes the clean', () => {
    const text = `FROM node:20\nRUN ${NPM} npm ci && npm cache clean --force\n`;
    const finding = only(check(npmRule, text));
    assert.match(finding.message, /`npm cache clean --force` wipes the cache mount on \/root\/\.npm: every build starts with an empty cache/);
    assert.equal(fix(npmRule, text), `FROM node:20\nRUN ${NPM} npm ci\n`);
    const rm = `FROM node:20\nRUN ${NPM} npm ci && rm -rf /root/.npm\n`;
    assert.match(only(check(npmRule, rm)).message, /fails the build/);
    assert.equal(fix(npmRule, rm), `FROM node:20\nRUN ${NPM} npm ci\n`);
  });

  test('npm cache verify is not a wipe', () => {
    assert.deepEqual(check(npmRule, `FROM node:20\nRUN ${NPM} npm ci && npm cache verify\n`), []);
  });
});
