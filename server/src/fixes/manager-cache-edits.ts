/**
 * The edits that give a RUN a package manager's cache mount, for the rules `cache-mount` and
 * `cache-disabled`: the mount flags, what switches the cache off or wipes it taken out, an option
 * the manager needs after its subcommand (`--update-cache`, `--link-mode=copy`) and a command the
 * mount needs first (apt's docker-clean removed, apk's cache linked).
 */
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import type { CacheWipe } from '../dockerfile/cache-wipes';
import type { ManagerCache, ManagerCall } from '../dockerfile/package-caches/manager';
import type { ManagerRun } from '../dockerfile/package-caches/manager-runs';
import type { ShellWord } from '../dockerfile/shell';
import type { TextEdit } from '../positions';
import { insertFlagsEdit } from './cache-mount-edits';
import { removeWordsEdits } from './text-removal';

/** From the manager's name (after sudo/env) to its subcommand: where a finding points. */
export function managerSpan(call: ManagerCall): { start: number; end: number } | undefined {
  const first = call.words[0];
  return first ? { start: first.start, end: Math.max(first.end, call.subcommand.end) } : undefined;
}

/** `--mount=type=cache,target=/var/cache/apk,sharing=locked`, with uid/gid for a non-root user dockopt knows. */
export function managerCacheFlag(cache: ManagerCache & { dir: string }): string {
  let flag = `--mount=type=cache,target=${cache.dir}`;
  if (cache.sharing) flag += `,sharing=${cache.sharing}`;
  if (!cache.owner.root && cache.owner.uid !== undefined) flag += `,uid=${cache.owner.uid}`;
  if (!cache.owner.root && cache.owner.gid !== undefined) flag += `,gid=${cache.owner.gid}`;
  return flag;
}

export interface ManagerFixEdits {
  edits: TextEdit[];
  /** What the edits do besides adding the mounts, for the fix's title: `drop --no-cache`, `add --update-cache`. */
  done: string[];
}

/**
 * The edits of a fix on one RUN: `flags` (none when the mounts are there), the calls' disabling
 * words and assignments out (replaced by the option a call needs, when it needs one), `wipes`
 * out, each call's needed option after its subcommand and the manager's first command (when
 * `applyNeeds`: a fix that only removes a wipe needs neither), and `prelude`. Undefined
 * when any of it cannot be done cleanly: better no fix than a half one that keeps the cache empty.
 */
export function mountFixEdits(
  model: DockerfileModel,
  info: InstructionInfo,
  run: ManagerRun,
  plan: { flags: readonly string[]; wipes: readonly CacheWipe[]; removeDisabling: boolean; applyNeeds: boolean; prelude?: string },
): ManagerFixEdits | undefined {
  const { manager, context } = run;
  const { script } = context;
  const done = new Set<string>();
  const removed: ShellWord[] = [];
  const replacements: TextEdit[] = [];
  const options: TextEdit[] = [];
  const preludes = new Set<string>(plan.prelude ? [plan.prelude] : []);
  for (const { call, scope, disablingAssignments } of run.calls) {
    const needs = plan.applyNeeds ? manager.mountNeeds?.(call, scope, context) : undefined;
    if (needs?.prelude) {
      preludes.add(needs.prelude.command);
      done.add(`first \`${needs.prelude.command}\` ${needs.prelude.why}`);
    }
    const disabling = plan.removeDisabling ? call.disableWords : [];
    if (disabling.length > 0) done.add(`drop ${[...new Set(disabling.map((w) => w.value))].join(', ')}`);
    if (plan.removeDisabling && disablingAssignments.length > 0) {
      removed.push(...disablingAssignments);
      done.add(`drop ${disablingAssignments.map((w) => w.value).join(', ')}`);
    }
    if (needs?.option === undefined) {
      removed.push(...disabling);
      continue;
    }
    done.add(`add ${needs.option}`);
    // The switch's place takes the option (`apk add --no-cache` → `apk add --update-cache`): one edit, no shifted words.
    if (disabling.length > 0) {
      const replacement = replaceWord(model, script.form, disabling[0], needs.option);
      if (!replacement) return undefined;
      replacements.push(replacement);
      removed.push(...disabling.slice(1));
    } else {
      const insertion = insertAfter(model, script.form, call.subcommand, needs.option);
      if (!insertion) return undefined;
      options.push(insertion);
    }
  }
  if (plan.wipes.length > 0) done.add('remove the cache wipe');
  const words = [...removed, ...plan.wipes.flatMap((w) => w.operands)];
  const commands = plan.wipes.filter((w) => w.operands.length === 0).map((w) => w.command);
  const deletions = words.length + commands.length > 0 ? removeWordsEdits(model, info, script, words, commands) : [];
  if (!deletions) return undefined;
  // A first command goes into a shell-form RUN only: inside an exec form or a heredoc it would need rewriting them.
  if (preludes.size > 0 && script.form !== 'shell') return undefined;
  const edits = [...replacements, ...options, ...deletions];
  if (plan.flags.length > 0 || preludes.size > 0) {
    const insert = insertFlagsEdit(model.text, script, plan.flags, deletions);
    if (plan.flags.length > 0) edits.push(insert);
    if (preludes.size > 0) {
      // The first command replaces the command's first character (by itself after it): a non-empty
      // edit there sorts after every insertion at that offset, so another rule's mount flags applied
      // in the same pass (pip-cache-mount on the same RUN) still land before it, not after its `&&`.
      const at = insert.start;
      edits.push({ start: at, end: at + 1, newText: `${[...preludes].map((p) => `${p} && `).join('')}${model.text[at]}` });
    }
  }
  return overlapping(edits) ? undefined : { edits, done: [...done] };
}

/** `option` right after `word`, as the RUN writes its words; undefined when the word is not plainly written. */
function insertAfter(model: DockerfileModel, form: string, word: ShellWord, option: string): TextEdit | undefined {
  const written = model.text.slice(word.start, word.end);
  if (form === 'exec') return written === JSON.stringify(word.value) ? { start: word.end, end: word.end, newText: `, ${JSON.stringify(option)}` } : undefined;
  return written === word.value ? { start: word.end, end: word.end, newText: ` ${option}` } : undefined;
}

/** `word` replaced by `option`; undefined when the word is not plainly written. */
function replaceWord(model: DockerfileModel, form: string, word: ShellWord, option: string): TextEdit | undefined {
  const written = model.text.slice(word.start, word.end);
  if (form === 'exec') return written === JSON.stringify(word.value) ? { start: word.start, end: word.end, newText: JSON.stringify(option) } : undefined;
  return written === word.value ? { start: word.start, end: word.end, newText: option } : undefined;
}

function overlapping(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  return sorted.some((e, k) => k > 0 && e.start < sorted[k - 1].end);
}
