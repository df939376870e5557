/**
 * Cache wipes in the RUN that installs: with a cache mount, `rm -rf` of the mount point fails the
 * build ("Device or resource busy") and a purge empties the cache on every build. The fix that
 * adds the mount removes them, keeping the rest of the chain; a RUN that has the mount and still
 * wipes it gets a finding with the same removal. RuleTester tables, one per rule.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule as npmRule } from '../../server/src/rules/npm-cache-mount';
import { rule as pipRule } from '../../server/src/rules/pip-cache-mount';
import { rule as noCacheRule } from '../../server/src/rules/pip-no-cache-dir';
import type { Finding } from '../../server/src/rules/types';
import { check, fixOnce, runRuleTests } from '../helpers/rule-tester';

const PIP = '--mount=type=cache,target=/root/.cache/pip';
const NPM = '--mount=type=cache,target=/root/.npm';

/** The sentence a missing-mount finding adds for the RUN's wipes of the new mount (`{{notes}}`). */
function wipesNote(label: string, failsTheBuild: boolean): string {
  const why = failsTheBuild ? 'with the mount, removing the mount point fails the build' : 'with the mount, that empties it on every build';
  return ` The RUN also wipes that cache (\`${label}\`): ${why}, so it must go.`;
}

function only(findings: Finding[]): Finding {
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
  return findings[0];
}

// pip-cache-mount: the fix also removes the wipes of the new mount.
runRuleTests(pipRule, {
  valid: [],
  invalid: [
    ...[
      ['rm -rf of the cache dir after &&', 'pip install -r r.txt && rm -rf /root/.cache/pip', 'pip install -r r.txt', 'rm -rf /root/.cache/pip', true],
      ['rm -rf ~/.cache/pip', 'pip install -r r.txt && rm -rf ~/.cache/pip', 'pip install -r r.txt', 'rm -rf ~/.cache/pip', true],
      ['rm -rf $HOME/.cache (a parent)', 'pip install -r r.txt && rm -rf $HOME/.cache', 'pip install -r r.txt', 'rm -rf $HOME/.cache', true],
      ['rm -rf /root/.cache/* (a glob that matches it)', 'pip install -r r.txt && rm -rf /root/.cache/*', 'pip install -r r.txt', 'rm -rf /root/.cache/*', true],
      ['pip cache purge in the middle', 'pip install -r r.txt && pip cache purge && python -m compileall .', 'pip install -r r.txt && python -m compileall .', 'pip cache purge', false],
      ['python -m pip cache purge after ;', 'pip install flask; python -m pip cache purge', 'pip install flask', 'python -m pip cache purge', false],
      ['the wipe first', 'rm -rf /root/.cache/pip && pip install flask', 'pip install flask', 'rm -rf /root/.cache/pip', true],
      ['|| true stays with what is left', 'pip install flask && rm -rf /root/.cache/pip || true', 'pip install flask || true', 'rm -rf /root/.cache/pip', true],
      [
        'only the operand that hits the cache',
        'pip install flask && rm -rf /var/lib/apt/lists/* /root/.cache/pip /tmp/x',
        'pip install flask && rm -rf /var/lib/apt/lists/* /tmp/x',
        'rm -rf /var/lib/apt/lists/* /root/.cache/pip /tmp/x',
        true,
      ],
    ].map(([what, run, after, label, fails]) => ({
      name: what as string,
      code: `FROM python:3.12\nRUN ${run}\n`,
      errors: [{ messageId: 'mountMissing', line: 2, data: { notes: wipesNote(label as string, fails as boolean) } }],
      output: `FROM python:3.12\nRUN ${PIP} ${after}\n`,
    })),
    {
      name: 'a wipe on its own continued line goes with the line; the line before loses its escape at the end',
      code: 'FROM python:3.12\nRUN pip install --no-cache-dir -r r.txt \\\n    && rm -rf /root/.cache/pip\nCOPY . .\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${PIP} pip install -r r.txt\nCOPY . .\n`,
    },
    {
      name: 'a wipe on a continued line in the middle of a chain',
      code: 'FROM python:3.12\nRUN pip install -r r.txt \\\n    && rm -rf /root/.cache/pip \\\n    && useradd app\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${PIP} pip install -r r.txt \\\n    && useradd app\n`,
    },
    {
      name: 'a wipe on a continued line with && at the ends of lines',
      code: 'FROM python:3.12\nRUN pip install -r r.txt && \\\n    pip cache purge && \\\n    useradd app\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${PIP} pip install -r r.txt && \\\n    useradd app\n`,
    },
    {
      name: 'CRLF keeps its bytes',
      code: 'FROM python:3.12\r\nRUN pip install -r r.txt \\\r\n    && rm -rf /root/.cache/pip\r\nCOPY . .\r\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\r\nRUN ${PIP} pip install -r r.txt\r\nCOPY . .\r\n`,
    },
    {
      name: '# escape=` keeps its bytes',
      code: '# escape=`\nFROM python:3.12\nRUN pip install -r r.txt `\n    && rm -rf /root/.cache/pip\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `# escape=\`\nFROM python:3.12\nRUN ${PIP} pip install -r r.txt\n`,
    },
    {
      name: 'heredoc: a wipe alone on its line goes with the line',
      code: 'FROM python:3.12\nRUN <<EOF\nset -e\npip install -r r.txt\nrm -rf /root/.cache/pip\necho done\nEOF\n',
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: `FROM python:3.12\nRUN ${PIP} <<EOF\nset -e\npip install -r r.txt\necho done\nEOF\n`,
    },
    {
      name: 'exec form running sh -c: the wipe leaves the script string',
      code: 'FROM python:3.12\nRUN ["sh", "-c", "pip install flask && rm -rf /root/.cache/pip"]\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${PIP} ["sh", "-c", "pip install flask"]\n`,
    },
    {
      name: 'a wipe it cannot remove cleanly: no applied fix',
      code: 'FROM python:3.12\nRUN pip install flask && rm -rf /root/.cache/pip 2>/dev/null\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { notes: wipesNote('rm -rf /root/.cache/pip', true) } }],
      output: null,
    },
    {
      name: 'a relative operand is read against the WORKDIR',
      code: 'FROM python:3.12\nWORKDIR /root\nRUN pip install flask && rm -rf .cache/pip\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM python:3.12\nWORKDIR /root\nRUN ${PIP} pip install flask\n`,
    },
    {
      name: 'a relative operand is read against a cd of the RUN',
      code: 'FROM python:3.12\nRUN pip install flask && cd /root && rm -rf .cache\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${PIP} pip install flask && cd /root\n`,
    },
    {
      name: '.. is resolved',
      code: 'FROM python:3.12\nRUN pip install flask && rm -rf /root/x/../.cache/pip\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM python:3.12\nRUN ${PIP} pip install flask\n`,
    },
    // A glob over the home's dotfiles removes .bashrc and .profile too: the rm cannot go, and with the mount it would remove its parent.
    ...['pip install flask && rm -rf /root/.[a-z]*', 'pip install flask && rm -rf ~/.??*', 'pip install flask && rm -rf /root/.c*'].map((run) => ({
      name: `a glob that matches the cache and what is beside it outside a cache folder: no applied fix (${run})`,
      code: `FROM python:3.12\nRUN ${run}\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    })),
    ...['pip install flask && rm -rf $CLEANUP', 'pip install flask && cd "$(mktemp -d)" && rm -rf ../*'].map((run) => ({
      name: `an rm dockopt cannot resolve may remove the cache: no applied fix (${run})`,
      code: `FROM python:3.12\nRUN ${run}\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    })),
    {
      name: 'an rm known to miss the cache: no doubt, the fix is applied',
      code: 'FROM python:3.12\nENV D=/tmp/x\nRUN pip install flask && rm -rf $D\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { notes: '' } }],
      output: `FROM python:3.12\nENV D=/tmp/x\nRUN ${PIP} pip install flask && rm -rf $D\n`,
    },
    ...[
      'pip install flask && rm -rf /tmp/* /var/lib/apt/lists/*',
      'pip install flask && rm -rf /root/*',
      'pip install flask && rm -rf /home/app/.cache/pip',
      'pip install flask && pip cache list',
      'pip install flask && echo rm -rf /root/.cache/pip',
    ].map((run) => ({
      name: `not a wipe: ${run}`,
      code: `FROM python:3.12\nRUN ${run}\n`,
      errors: [{ messageId: 'mountMissing', line: 2, data: { notes: '' } }],
      output: `FROM python:3.12\nRUN ${PIP} ${run}\n`,
    })),
  ],
});

describe('pip-cache-mount: wipes, what a table cannot show', () => {
  test('a wipe it cannot remove cleanly: only the mount, not preferred, and the title says what to remove', () => {
    const text = 'FROM python:3.12\nRUN pip install flask && rm -rf /root/.cache/pip 2>/dev/null\n';
    const finding = only(check(pipRule, text));
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes[0].isPreferred, false);
    assert.match(finding.fixes[0].title, /then remove rm -rf \/root\/\.cache\/pip by hand/);
    assert.equal(fixOnce(pipRule, text), text);
  });

  test('an rm dockopt cannot resolve: the message says so, the fix is offered and its title asks to check', () => {
    for (const run of ['pip install flask && rm -rf $CLEANUP', 'pip install flask && cd "$(mktemp -d)" && rm -rf ../*']) {
      const finding = only(check(pipRule, `FROM python:3.12\nRUN ${run}\n`));
      assert.match(finding.message, /dockopt cannot tell what `rm -rf [^`]+` removes/, run);
      assert.equal(finding.fixes[0].isPreferred, false);
      assert.match(finding.fixes[0].title, /\(check that rm -rf .+ leaves it alone\)$/);
    }
  });
});

// pip-no-cache-dir: a RUN that mounts the cache and wipes it.
runRuleTests(noCacheRule, {
  valid: [
    { name: 'no finding without a mount', code: 'FROM python:3.12\nRUN pip install flask && rm -rf /root/.cache/pip\n' },
    { name: 'no finding when the wipe is in another RUN', code: `FROM python:3.12\nRUN ${PIP} pip install flask\nRUN rm -rf /root/.cache/pip\n` },
  ],
  invalid: [
    {
      name: 'rm -rf of the mount point: the build fails; the fix removes it',
      code: `FROM python:3.12\nRUN ${PIP} pip install -r r.txt && rm -rf /root/.cache/pip\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 2, column: 72, endColumn: 95, data: { wipes: '`rm -rf /root/.cache/pip`', targets: '/root/.cache/pip' } }],
      output: `FROM python:3.12\nRUN ${PIP} pip install -r r.txt\n`,
    },
    {
      name: 'pip cache purge: every build starts empty',
      code: `FROM python:3.12\nRUN ${PIP} \\\n    pip install -r r.txt \\\n    && pip cache purge\n`,
      errors: [{ messageId: 'mountWiped', line: 4, data: { wipes: '`pip cache purge`' } }],
      output: `FROM python:3.12\nRUN ${PIP} \\\n    pip install -r r.txt\n`,
    },
    {
      name: 'a wipe of files inside a parent mount empties it (the mount point stays)',
      code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask && rm -rf /root/.cache/pip\n',
      errors: [{ messageId: 'mountWiped', line: 2, data: { targets: '/root/.cache' } }],
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask\n',
    },
    {
      name: 'the wipe plus --no-cache-dir: two findings, both fixed',
      code: `FROM python:3.12\nRUN ${PIP} pip install --no-cache-dir flask && pip cache purge\n`,
      errors: [{ messageId: 'cacheSwitchedOff', line: 2 }, { messageId: 'mountWiped', line: 2 }],
      output: `FROM python:3.12\nRUN ${PIP} pip install flask\n`,
    },
  ],
});

test('pip-no-cache-dir: the wipe messages read in full', () => {
  assert.equal(
    only(check(noCacheRule, `FROM python:3.12\nRUN ${PIP} pip install -r r.txt && rm -rf /root/.cache/pip\n`)).message,
    '`rm -rf /root/.cache/pip` wipes the cache mount on /root/.cache/pip: removing the mount point fails the build ("Device or resource busy"). ' +
      "Remove it: with the mount, pip's cache never ends up in the image anyway.",
  );
});

// npm-cache-mount: wipes of npm's cache.
runRuleTests(npmRule, {
  valid: [{ name: 'npm cache verify is not a wipe', code: `FROM node:20\nRUN ${NPM} npm ci && npm cache verify\n` }],
  invalid: [
    {
      name: 'npm cache clean --force goes with the new mount',
      code: 'FROM node:20\nRUN npm ci && npm cache clean --force\n',
      errors: [{ messageId: 'noMount', line: 2, data: { notes: wipesNote('npm cache clean --force', false) } }],
      output: `FROM node:20\nRUN ${NPM} npm ci\n`,
    },
    {
      name: 'rm -rf ~/.npm on a continued line goes with the new mount',
      code: 'FROM node:20\nRUN npm ci \\\n && rm -rf ~/.npm \\\n && npm run build\n',
      errors: [{ messageId: 'noMount', line: 2, data: { notes: wipesNote('rm -rf ~/.npm', true) } }],
      output: `FROM node:20\nRUN ${NPM} npm ci \\\n && npm run build\n`,
    },
    {
      name: 'a RUN with the mount that still cleans the cache: a finding that removes the clean',
      code: `FROM node:20\nRUN ${NPM} npm ci && npm cache clean --force\n`,
      errors: [{ messageId: 'mountWiped', line: 2, column: 52, endColumn: 75, data: { wipes: '`npm cache clean --force`', dirs: '/root/.npm' } }],
      output: `FROM node:20\nRUN ${NPM} npm ci\n`,
    },
    {
      name: 'a RUN with the mount that removes the mount point: the build fails',
      code: `FROM node:20\nRUN ${NPM} npm ci && rm -rf /root/.npm\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 2, data: { wipes: '`rm -rf /root/.npm`', dirs: '/root/.npm' } }],
      output: `FROM node:20\nRUN ${NPM} npm ci\n`,
    },
  ],
});

describe('npm-cache-mount: wipes, what a table cannot show', () => {
  test('the --prefer-offline fix removes the wipe too', () => {
    const text = 'FROM node:20\nRUN npm ci && npm cache clean --force\n';
    const change = only(check(npmRule, text)).fixes[1].changes[0];
    assert.equal(applyTextEdits(text, change.kind === 'edit' ? change.edits : []).text, `FROM node:20\nRUN ${NPM} npm ci --prefer-offline\n`);
  });

  test('the wipe messages read in full', () => {
    assert.equal(
      only(check(npmRule, `FROM node:20\nRUN ${NPM} npm ci && npm cache clean --force\n`)).message,
      '`npm cache clean --force` wipes the cache mount on /root/.npm: every build starts with an empty cache and downloads all packages again. ' +
        "Remove it: with the mount, npm's cache never ends up in the image anyway.",
    );
    assert.equal(
      only(check(npmRule, `FROM node:20\nRUN ${NPM} npm ci && rm -rf /root/.npm\n`)).message,
      '`rm -rf /root/.npm` wipes the cache mount on /root/.npm: removing the mount point fails the build ("Device or resource busy"). ' +
        "Remove it: with the mount, npm's cache never ends up in the image anyway.",
    );
  });
});
