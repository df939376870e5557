// `npm test`'s last step: the extension-host suite in a real VS Code (test/vscode/run.mjs, in
// code-server). It runs wherever scripts/vscode-setup.sh has installed code-server and chromium;
// elsewhere it is skipped with the reason. Under CI=true it always runs, installing what is
// missing first, so CI can never pass without it.
import { spawnSync } from 'node:child_process';
import { run } from './ensure-deps.mjs';

/** Runs the suite; returns { status, skipped } where `skipped` is a line for the summary, or null. */
export function runVscodeSuite({ onlyFiles }) {
  if (onlyFiles) return { status: 0, skipped: 'skipped: test/vscode (real VS Code suite): test files were named; run `npm run test:vscode`' };
  const ci = process.env.CI === 'true';
  if (!ci) {
    const check = spawnSync('bash', ['scripts/vscode-setup.sh', '--check'], { encoding: 'utf8' });
    if (check.status !== 0) {
      const why = (check.stderr || check.error?.message || 'setup check failed').trim().split('\n').join('; ');
      return { status: 0, skipped: `skipped: test/vscode (real VS Code suite): ${why}; \`bash scripts/vscode-setup.sh\` installs it` };
    }
  }
  console.log('\nnpm test: the extension-host suite in a real VS Code (code-server)…');
  // The bundles were just built by `npm test`; under CI the launcher installs what is missing.
  const status = run('node', ['test/vscode/run.mjs', '--no-build', ...(ci ? [] : ['--no-setup'])]);
  return { status, skipped: null };
}
