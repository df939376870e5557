/**
 * Gradle (https://docs.gradle.org/current/userguide/directory_layout.html): the Gradle user home,
 * `--gradle-user-home` (`-g`), else the gradle.user.home property (`-D` on the call, or in
 * GRADLE_OPTS / JAVA_OPTS, which the launch scripts give the JVM), else GRADLE_USER_HOME, else
 * ${user.home}/.gradle (user.home: see java-home.ts). Downloaded dependencies (and the other
 * shared caches) go to its caches/; the distribution the wrapper (`./gradlew`) downloads to
 * wrapper/dists, whatever the tasks: `./gradlew --version` downloads it too.
 *
 * dockopt mounts those two, not the whole user home: gradle.properties and init.d/ live there,
 * which Dockerfiles copy in and the gradle image writes itself (its JDK settings). That image
 * runs as root with /root/.gradle a link to /home/gradle/.gradle (a VOLUME): BuildKit follows the
 * link, so a mount on /root/.gradle/caches works there (checked with a BuildKit build).
 * `sharing=locked`: Gradle's locks on its caches ask their owner to release them over a UDP
 * message to localhost, which does not reach a build in another container's network namespace
 * (each RUN has its own): concurrent builds sharing the mount wait on each other until they time
 * out. Gradle's answer for many containers is a read-only cache (GRADLE_RO_DEP_CACHE), not a
 * shared writable one.
 *
 * `--offline` downloads no dependency (the wrapper still downloads its distribution).
 * `--no-build-cache` is not about downloads: it turns off the cache of task outputs, which is
 * off unless asked for, so it is no switch of what the mount keeps.
 */
import type { CacheLocation, CommandScope } from '../cache-locations';
import type { ShellWord } from '../shell';
import { isCommand, optionValue, positionals } from './call-words';
import { definedProperty, propertyInOptions, underJavaUserHome } from './java-home';
import type { ManagerCache, ManagerCall, PackageManager } from './manager';
import { storeNeededLater } from './store-needed-later';

/** Options that take their value in the next word. */
const WITH_VALUE = new Set(['-g', '--gradle-user-home', '-p', '--project-dir', '-b', '--build-file', '-c', '--settings-file', '-x', '--exclude-task', '-D', '--system-prop', '-P', '--project-prop', '-I', '--init-script', '--console', '--warning-mode', '--max-workers', '--priority', '--include-build', '-M', '--write-verification-metadata', '-F', '--dependency-verification', '--project-cache-dir', '--task-graph']);
const DEPENDENCIES = 'dependencies';
const DISTRIBUTION = 'the distribution gradlew downloads';

export const gradle: PackageManager = {
  name: 'Gradle',
  anchor: 'gradle',
  mentioned: /\bgradlew?\b/,
  readCall(command, words) {
    const call = gradleWords(words);
    if (!call) return undefined;
    const task = positionals(call, WITH_VALUE)[0];
    if (isWrapper(call)) return { command, words: call, subcommand: task?.word ?? call[0], disableWords: [] };
    // `gradle --version`: no task, no download; `--offline`: none either.
    if (!task || offline(call)) return undefined;
    return { command, words: call, subcommand: task.word, disableWords: [] };
  },
  caches(call, scope) {
    const home = userHome(call, scope);
    const out: ManagerCache[] = [];
    const downloads = positionals(call.words, WITH_VALUE).length > 0 && !offline(call.words);
    if (downloads) out.push({ ...home('caches'), sharing: 'locked', holds: DEPENDENCIES });
    if (isWrapper(call.words)) out.push({ ...home('wrapper/dists'), sharing: 'locked', holds: DISTRIBUTION });
    return out;
  },
  // Gradle keeps `native/`, `daemon/` and lock files beside `caches/` in its user home.
  writesBesideCache: () => true,
  unsafeMount(call, scope, context) {
    const dirs = gradle.caches(call, scope, context).filter((c) => c.holds === DEPENDENCIES && c.dir !== undefined).map((c) => c.dir!);
    return storeNeededLater(context, dirs, {
      name: 'Gradle',
      offline: (text) => /\bgradlew?\b[^\n]*\s--offline\b/.test(text),
      command: /(^|[\s"'[,/])gradlew?["']?(,|\s|$)/,
    });
  },
};

/** The call's words from `gradle` (or `./gradlew`, also as `sh gradlew …`); undefined when it is not Gradle. */
function gradleWords(words: readonly ShellWord[]): readonly ShellWord[] | undefined {
  if (isCommand(words, ['gradle', 'gradlew'])) return words;
  if (isCommand(words, ['sh', 'bash']) && isCommand(words.slice(1), ['gradlew'])) return words.slice(1);
  return undefined;
}

function isWrapper(words: readonly ShellWord[]): boolean {
  return isCommand(words, ['gradlew']);
}

function offline(words: readonly ShellWord[]): boolean {
  const end = words.findIndex((w) => w.value === '--');
  return words.slice(0, end < 0 ? undefined : end).some((w) => w.value === '--offline');
}

/** `sub` under the call's Gradle user home. */
function userHome(call: ManagerCall, scope: CommandScope): (sub: string) => CacheLocation {
  const flag = optionValue(call.words, ['-g', '--gradle-user-home']);
  if (flag !== undefined) return (sub) => scope.locate(`${flag}/${sub}`, '--gradle-user-home', 'runtime');
  const property = definedProperty(call.words.map((w) => w.value), 'gradle.user.home');
  if (property !== undefined) return (sub) => scope.locate(`${property}/${sub}`, '-Dgradle.user.home', 'runtime');
  for (const name of ['GRADLE_OPTS', 'JAVA_OPTS']) {
    const set = scope.lookup(name);
    const value = set !== undefined ? propertyInOptions(set.value, 'gradle.user.home') : undefined;
    if (set !== undefined && value !== undefined) return (sub) => scope.locate(`${value}/${sub}`, `-Dgradle.user.home in ${set.via}`, set.when);
  }
  const env = scope.lookup('GRADLE_USER_HOME');
  if (env) return (sub) => scope.locate(`${env.value}/${sub}`, env.via, env.when);
  return (sub) => underJavaUserHome(scope, `.gradle/${sub}`, ['GRADLE_OPTS', 'JAVA_OPTS', 'JAVA_TOOL_OPTIONS']);
}
