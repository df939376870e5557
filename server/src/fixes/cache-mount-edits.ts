/**
 * The edits that give a RUN a cache mount: the `--mount=type=cache,…` flag and where it goes,
 * the owner options of an existing mount, and an option after each call's subcommand.
 */
import type { DockerfileModel } from '../dockerfile/model';
import type { RunMount } from '../dockerfile/mounts';
import type { RunScript, SimpleCommand } from '../dockerfile/shell';
import { commandSpan, type CacheLocation, type CacheOwner } from '../dockerfile/cache-locations';
import type { TextEdit } from '../positions';
import { isBlank } from './text-removal';

/** `,uid=N[,gid=N]` appended to a mount's value, or the wrong uid replaced; undefined when it cannot be placed. */
export function ownerOptionsEdit(model: DockerfileModel, mount: RunMount, location: CacheLocation): TextEdit | undefined {
  const { owner } = location;
  if (!mount.valueRange || owner.uid === undefined) return undefined;
  const start = model.offsetAt(mount.valueRange.start);
  const end = model.offsetAt(mount.valueRange.end);
  const value = model.text.slice(start, end);
  // Quoted or continued over lines: not a value dockopt rewrites.
  if (/["'\s]/.test(value) || value.includes(model.escapeChar)) return undefined;
  const options = value.split(',').filter((o) => !/^(uid|gid)=/.test(o));
  options.push(`uid=${owner.uid}`);
  if (owner.gid !== undefined) options.push(`gid=${owner.gid}`);
  return { start, end, newText: options.join(',') };
}

/** `--mount=type=cache,target=/root/.cache/pip`, with the owner's uid/gid when not root and known. */
export function cacheMountFlag(location: { dir: string; owner: CacheOwner }): string {
  let flag = `--mount=type=cache,target=${location.dir}`;
  if (!location.owner.root && location.owner.uid !== undefined) flag += `,uid=${location.owner.uid}`;
  if (!location.owner.root && location.owner.gid !== undefined) flag += `,gid=${location.owner.gid}`;
  return flag;
}

/**
 * `option` (`--cache-dir=/var/cache/pip`) right after each call's subcommand word, as the RUN
 * writes its words (an exec-form element, or a shell word). Undefined when a subcommand's text
 * is not plainly written (quotes, escapes): better no fix than a wrong one.
 */
export function afterSubcommandEdits(text: string, script: RunScript, calls: ReadonlyArray<{ command: SimpleCommand; subcommand: string }>, option: string): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const call of calls) {
    const span = commandSpan(call.command, call.subcommand);
    const word = span ? call.command.words.find((w) => w.end === span.end && w.value === call.subcommand) : undefined;
    if (!word) return undefined;
    const written = text.slice(word.start, word.end);
    if (script.form === 'exec' && written.startsWith('"')) {
      if (written !== JSON.stringify(word.value)) return undefined;
      edits.push({ start: word.end, end: word.end, newText: `, ${JSON.stringify(option)}` });
    } else {
      if (written !== word.value || /[\s"'$`\\]/.test(option)) return undefined;
      edits.push({ start: word.end, end: word.end, newText: ` ${option}` });
    }
  }
  return edits;
}

/**
 * Inserts the flags where a RUN's flags end (before the command, the exec-form `[` or `<<EOF`).
 * When the fix also deletes the RUN's first word (`RUN PIP_NO_CACHE_DIR=1 pip …`), the flags go
 * before the word that follows the deletion instead, so the edits never overlap.
 */
export function insertFlagsEdit(text: string, script: RunScript, flags: readonly string[], deletions: readonly TextEdit[] = []): TextEdit {
  let at = script.argumentsStart;
  for (const deletion of [...deletions].sort((a, b) => a.start - b.start)) {
    if (deletion.start <= at && at < deletion.end) {
      at = deletion.end;
      while (isBlank(text[at])) at++;
    }
  }
  return { start: at, end: at, newText: flags.map((f) => `${f} `).join('') };
}
