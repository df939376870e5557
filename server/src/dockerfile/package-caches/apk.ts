/**
 * apk (Alpine; apk-tools 2, `apk-cache(5)`): packages are cached only where /etc/apk/cache exists
 * (`--cache-dir` moves it); Alpine's own setup links it to /var/cache/apk, where the indexes go
 * too. `apk add --no-cache` uses no cache at all: it fetches the indexes into memory on every run.
 *
 * dockopt mounts /var/cache/apk (the directory hadolint's DL3019 accepts instead of `--no-cache`)
 * and links /etc/apk/cache to it, and replaces `--no-cache` by `--update-cache` so the indexes
 * are still fetched fresh on every build: the image gets no cache either way.
 */
import { readMounts } from '../mounts';
import type { SimpleCommand } from '../shell';
import { isCommand, optionValue, positionals, flagWords, plainWords } from './call-words';
import { anyEarlierRunMatching } from './earlier-runs';
import { commandsBefore, textOf } from './stage-runs';
import type { ManagerContext, PackageManager } from './manager';

const WITH_VALUE = new Set(['-X', '--repository', '-p', '--root', '--cache-dir', '--repositories-file', '--keys-dir', '--arch', '-t', '--virtual', '--timeout', '--cache-max-age']);
const INSTALLS = new Set(['add', 'upgrade', 'fix']);
const LINK = 'ln -sfn /var/cache/apk /etc/apk/cache';
const APK_DIR = '/var/cache/apk';
const ETC_DIR = '/etc/apk/cache';

export const apk: PackageManager = {
  name: 'apk',
  anchor: 'apk',
  mentioned: /\bapk\b/,
  readCall(command, words) {
    if (!isCommand(words, ['apk'])) return undefined;
    const sub = positionals(words, WITH_VALUE)[0];
    if (!sub || !INSTALLS.has(sub.word.value)) return undefined;
    return { command, words, subcommand: sub.word, disableWords: flagWords(words, ['--no-cache']), cacheDir: optionValue(words, ['--cache-dir']) };
  },
  caches(call, scope, context) {
    if (call.cacheDir !== undefined) return [{ ...scope.locate(call.cacheDir, '--cache-dir', 'runtime'), sharing: 'locked' }];
    // A RUN that mounts /etc/apk/cache itself caches there (apk's own default), linked or not.
    return [{ ...scope.locate(etcMounted(context) ? ETC_DIR : APK_DIR, 'apk', 'runtime'), sharing: 'locked' }];
  },
  isCacheWipe: (words) => { const [tool, what, action] = plainWords(words); return tool === 'apk' && what === 'cache' && ['clean', 'purge'].includes(action); },
  mountNeeds(call, _scope, context) {
    const refreshes = call.words.some((w) => ['-U', '--update-cache', '--no-cache'].includes(w.value)) || updatedBefore(context, call.command);
    const option = call.disableWords.length > 0 || !refreshes ? '--update-cache' : undefined;
    const prelude = call.cacheDir === undefined && !cacheLinked(context) && !etcMounted(context) ? { command: LINK, why: 'so apk caches packages there' } : undefined;
    return option || prelude ? { option, prelude } : undefined;
  },
  unsafeMount(_call, _scope, context) {
    // The link stays in the image: in the images a base image's ONBUILD apk calls build, apk would then keep its downloads.
    return onbuildApk(context.model) ? 'The link to /etc/apk/cache the fix makes stays in the image, and this base image runs apk again in the images built on it (ONBUILD), which would then keep what apk downloads' : undefined;
  },
  mountedButUnused(context) {
    if (cacheLinked(context) || etcMounted(context)) return undefined;
    return { why: 'apk caches downloaded packages only where /etc/apk/cache exists, and nothing links it to /var/cache/apk: only the indexes are cached', prelude: LINK };
  },
};

function etcMounted(context: ManagerContext): boolean {
  return readMounts(context.info.ast).some((m) => m.type === 'cache' && m.target === ETC_DIR);
}

const ONBUILD_APK = new WeakMap<ManagerContext['model'], boolean>();

/** An `ONBUILD RUN apk …` in the file, read once per parse. */
function onbuildApk(model: ManagerContext['model']): boolean {
  let found = ONBUILD_APK.get(model);
  if (found === undefined) {
    found = model.instructions.some((i) => i.keyword === 'ONBUILD' && /\bapk\b/.test(model.text.slice(i.startOffset, i.endOffset)));
    ONBUILD_APK.set(model, found);
  }
  return found;
}

/** An `apk update` earlier in the same RUN: the indexes the call reads are fresh ones. */
function updatedBefore(context: ManagerContext, command: SimpleCommand): boolean {
  return commandsBefore(context, command).some((words) => {
    const [tool, sub] = plainWords(words);
    return tool === 'apk' && sub === 'update';
  });
}

const LINKS = /\bln\s+-[a-z]*s[a-z]*\s+\/var\/cache\/apk\/?\s+\/etc\/apk\/cache\b|\bsetup-apkcache\b/;

/** /etc/apk/cache linked to /var/cache/apk in this RUN or an earlier one of the stage (`ln -s`, `setup-apkcache`). */
function cacheLinked(context: ManagerContext): boolean {
  return LINKS.test(textOf(context.model, context.info)) || anyEarlierRunMatching(context, LINKS);
}
