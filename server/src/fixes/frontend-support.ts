/**
 * What the Dockerfile's frontend can parse. A `# syntax=docker/dockerfile:1.0` (or 1.1) directive
 * pins a frontend that does not know `RUN --mount`: it reached the stable channel in
 * docker/dockerfile 1.2 (the `-experimental` tags had it before). A fix that adds a cache mount
 * there makes a Dockerfile that no longer builds, so it is withdrawn and the finding says why.
 */
import { parserDirectives } from '../dockerfile/parser-directives';
import type { Finding } from '../rules/types';

/** docker/dockerfile's own images and tags (`1.1`, `1.1.0`, `1.1-experimental`, with a digest or not). */
const DOCKERFILE_FRONTEND = /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?:(\d+)\.(\d+)(?:\.\d+)?(-[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$/i;
/** A RUN that already has a --mount flag: the file builds with mounts already (or never did). */
const RUN_WITH_MOUNT = /^\s*RUN\s+(?:--[\w-]+(?:=\S*)?\s+)*--mount[=\s]/im;

/** The `# syntax=` value when it pins a docker/dockerfile frontend without `RUN --mount`. */
export function frontendWithoutRunMount(text: string): string | undefined {
  const pin = parserDirectives(text).find((d) => d.name === 'syntax')?.value;
  const version = pin === undefined ? undefined : DOCKERFILE_FRONTEND.exec(pin);
  if (!version) return undefined;
  const [major, minor, suffix] = [Number(version[1]), Number(version[2]), version[3] ?? ''];
  const withoutMount = major < 1 || (major === 1 && minor < 2);
  return withoutMount && !/experimental/i.test(suffix) && !RUN_WITH_MOUNT.test(text) ? pin : undefined;
}

/**
 * Withdraws the finding's fixes that add a `--mount` flag (computing lazy fixes now: only files
 * with such a pin pay for it) and says why when the automatic fix, or every fix, is gone.
 */
export function withoutRunMountFixes(finding: Finding, pin: string): Finding {
  let fixes: Finding['fixes'];
  try {
    fixes = finding.fixes;
  } catch {
    return finding; // a fix that fails to compute fails where it is asked for, as anywhere
  }
  const kept = fixes.filter((fix) => !addsRunMount(fix.changes));
  if (kept.length === fixes.length) return finding;
  const telling = fixes.some((fix) => fix.isPreferred && !kept.includes(fix)) || kept.length === 0;
  Object.defineProperty(finding, 'fixes', { value: kept, enumerable: true, configurable: true, writable: true });
  if (telling) {
    finding.message =
      `${finding.message} No automatic fix: \`# syntax=${pin}\` pins a Dockerfile frontend without RUN --mount ` +
      '(docker/dockerfile 1.2 and later have it): raise it, then fix.';
  }
  return finding;
}

function addsRunMount(changes: Finding['fixes'][number]['changes']): boolean {
  return changes.some((change) => change.kind === 'edit' && change.edits.some((edit) => edit.newText.includes('--mount=')));
}
