// `npm test`'s last step: the extension-host suite in a real VS Code (test/vscode/run.mjs, in
// code-server). It runs wherever scripts/vscode-setup.sh has installed code-server and chromium;
// elsewhere it is skipped with the reason. Under CI=true it always runs, installing what is
// missing first, so CI can never pass without it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  const scratch = mkdtempSync(join(tmpdir(), 'dockopt-vscode-step-'));
  const skipsFile = join(scratch, 'skips.txt');
  const result = spawnSync('node', ['test/vscode/run.mjs', '--no-build', ...(ci ? [] : ['--no-setup'])], {
    stdio: 'inherit',
    env: { ...process.env, DOCKOPT_VSCODE_SKIPS: skipsFile },
  });
  const skips = existsSync(skipsFile) ? readFileSync(skipsFile, 'utf8').split('\n').filter(Boolean) : [];
  rmSync(scratch, { recursive: true, force: true });
  return { status: result.status ?? 1, skipped: skips.length ? skips.map((s) => `skipped: test/vscode (real VS Code suite): ${s}`).join('\n') : null };
}
