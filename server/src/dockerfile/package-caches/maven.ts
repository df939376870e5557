/**
 * Maven (https://maven.apache.org/settings.html, https://maven.apache.org/configure.html): every
 * download (dependencies, plugins) goes to the local repository, `-Dmaven.repo.local=DIR` (on the
 * call, or in MAVEN_ARGS or MAVEN_OPTS), else `<localRepository>` of a settings.xml, else
 * ${user.home}/.m2/repository. user.home is the JVM's (see java-home.ts): /root for root, whatever
 * HOME says. The maven image runs as root and sets nothing that moves it.
 *
 * dockopt mounts ~/.m2/repository, not ~/.m2: Dockerfiles often COPY a settings.xml (a mirror,
 * credentials) into ~/.m2, which a mount there would hide — then `mvn -s ~/.m2/settings.xml` fails
 * and a plain `mvn` silently loses its mirror.
 * `sharing=locked`: Maven 3.9's resolver locks the local repository within one JVM only (its
 * cross-process file locks are opt-in), so two builds sharing the mount could write the same
 * files at once.
 *
 * What dockopt cannot read keeps the fix from being applied by itself: a settings file given to
 * the call (`-s`, `-gs`), or a settings.xml the Dockerfile writes into ~/.m2 or Maven's conf/,
 * may set `<localRepository>` elsewhere. `.mvn/maven.config` in the project may too; dockopt
 * does not see it (its values are rare there).
 * `-o` (`--offline`) downloads nothing: no mount for such a call, and a later offline RUN needs
 * what an earlier `mvn dependency:go-offline` left in the image (see store-needed-later.ts).
 * `mvn dependency:purge-local-repository` wipes the repository (and downloads it again).
 */
import type { CommandScope } from '../cache-locations';
import type { DockerfileModel, InstructionInfo } from '../model';
import type { ShellWord } from '../shell';
import { isCommand, positionals } from './call-words';
import { definedProperty, propertyInOptions, underJavaUserHome } from './java-home';
import type { ManagerCall, ManagerContext, PackageManager } from './manager';
import { storeNeededLater } from './store-needed-later';

const NAMES = ['mvn', 'mvnw', 'mvnd'];
/** Options that take their value in the next word. */
const WITH_VALUE = new Set(['-f', '--file', '-s', '--settings', '-gs', '--global-settings', '-t', '--toolchains', '-gt', '--global-toolchains', '-pl', '--projects', '-rf', '--resume-from', '-T', '--threads', '-l', '--log-file', '-P', '--activate-profiles', '-D', '--define', '-b', '--builder', '-emp', '--encrypt-master-password', '-ep', '--encrypt-password']);
const OFFLINE = ['-o', '--offline'];
const SETTINGS = ['-s', '--settings', '-gs', '--global-settings'];
const PURGE = /^(dependency|org\.apache\.maven\.plugins:maven-dependency-plugin(:[^:]+)?):purge-local-repository$/;

export const maven: PackageManager = {
  name: 'Maven',
  anchor: 'maven',
  mentioned: /\bmvn[wd]?\b/,
  readCall(command, words) {
    const call = mavenWords(words);
    if (!call) return undefined;
    const goal = positionals(call, WITH_VALUE)[0];
    // `mvn -v`, `mvn --help`: no goal, no download. `-o`: offline, nothing downloaded.
    if (!goal || call.some((w) => OFFLINE.includes(w.value))) return undefined;
    return { command, words: call, subcommand: goal.word, disableWords: [] };
  },
  caches(call, scope) {
    const args = scope.lookup('MAVEN_ARGS');
    if (args && args.value.split(/\s+/).some((w) => OFFLINE.includes(w))) return [];
    return [{ ...localRepository(call, scope), sharing: 'locked' }];
  },
  isCacheWipe(words) {
    if (words.length === 0 || !NAMES.includes(words[0].slice(words[0].lastIndexOf('/') + 1))) return false;
    const goals = words.slice(1).filter((w, k, all) => !w.startsWith('-') && !WITH_VALUE.has(all[k - 1] ?? ''));
    return goals.length > 0 && goals.every((g) => PURGE.test(g));
  },
  unsafeMount(call, scope, context) {
    const settings = settingsFile(call, scope.lookup('MAVEN_ARGS')?.value, context);
    if (settings !== undefined) return `${settings} may set <localRepository> elsewhere (dockopt does not read it)`;
    const dir = maven.caches(call, scope, context)[0]?.dir;
    return storeNeededLater(context, dir !== undefined ? [dir] : [], {
      name: 'Maven',
      offline: (text) => /\bmvn[wd]?\b[^\n]*\s(-o|--offline)(\s|$)/.test(text),
      command: /(^|[\s"'[,/])mvn[wd]?["']?(,|\s|$)/,
    });
  },
};

/** The call's words from `mvn` (or `./mvnw`, also as `sh mvnw …`); undefined when it is not Maven. */
function mavenWords(words: readonly ShellWord[]): readonly ShellWord[] | undefined {
  if (isCommand(words, NAMES)) return words;
  if (isCommand(words, ['sh', 'bash']) && isCommand(words.slice(1), ['mvnw'])) return words.slice(1);
  return undefined;
}

/** -Dmaven.repo.local on the call, in MAVEN_ARGS (put before the call's own arguments), in MAVEN_OPTS (JVM properties); else ~/.m2/repository. */
function localRepository(call: ManagerCall, scope: CommandScope) {
  const words = call.words.map((w) => w.value);
  const onCall = definedProperty(words, 'maven.repo.local');
  if (onCall !== undefined) return scope.locate(onCall, '-Dmaven.repo.local', 'runtime');
  for (const name of ['MAVEN_ARGS', 'MAVEN_OPTS']) {
    const set = scope.lookup(name);
    const repo = set !== undefined ? propertyInOptions(set.value, 'maven.repo.local') : undefined;
    if (set !== undefined && repo !== undefined) return scope.locate(repo, `-Dmaven.repo.local in ${set.via}`, set.when);
  }
  // Maven reads user.home before MAVEN_ARGS/MAVEN_OPTS have anything else to say about it; its own -D counts too.
  return underJavaUserHome(scope, '.m2/repository', ['MAVEN_OPTS', 'JAVA_TOOL_OPTIONS'], words);
}

/**
 * A settings file Maven reads that dockopt cannot: one given to the call (`-s FILE`), or a
 * settings.xml that this RUN or an earlier instruction of the stage (or the stages it builds on)
 * writes or copies. For messages: `-s settings.xml`, `the settings.xml of line 3`.
 */
function settingsFile(call: ManagerCall, mavenArgs: string | undefined, context: ManagerContext): string | undefined {
  const words = [...call.words.map((w) => w.value), ...(mavenArgs?.split(/\s+/) ?? [])];
  for (let i = 0; i < words.length; i++) {
    const flag = SETTINGS.find((s) => words[i] === s || words[i].startsWith(`${s}=`));
    if (flag !== undefined) return `The settings file of ${flag} ${words[i] === flag ? words[i + 1] ?? '' : words[i].slice(flag.length + 1)}`.trimEnd();
  }
  const { model, info } = context;
  const stages = new Set<InstructionInfo['stage']>();
  for (let stage = info.stage; stage; stage = stage.parent) stages.add(stage);
  const written = settingsWrites(model).find((i) => i.index <= info.index && stages.has(i.stage));
  if (written) return `The settings.xml of line ${written.range.start.line + 1}`;
  return undefined;
}

/** The instructions that write or copy a settings.xml, found once per parse: every Maven call asks. */
function settingsWrites(model: DockerfileModel): InstructionInfo[] {
  let found = SETTINGS_WRITES.get(model);
  if (!found) {
    found = model.instructions.filter((i) => {
      const text = model.text.slice(i.startOffset, i.endOffset);
      if (i.keyword === 'RUN') return /settings[\w.-]*\.xml|<localRepository>/.test(text);
      return (i.keyword === 'COPY' || i.keyword === 'ADD') && /settings[\w.-]*\.xml|\/\.m2(\/|\s|$)/.test(text);
    });
    SETTINGS_WRITES.set(model, found);
  }
  return found;
}

const SETTINGS_WRITES = new WeakMap<DockerfileModel, InstructionInfo[]>();
