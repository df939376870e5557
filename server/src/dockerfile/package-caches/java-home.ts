/**
 * Where a JVM tool (Maven, Gradle) puts its per-user directory: under the JVM's `user.home`,
 * which on Linux comes from the user's passwd entry, not from $HOME (OpenJDK's
 * java_props_md.c; since JDK 19 $HOME only when that entry has no usable home, JDK-8280357).
 * `-Duser.home=…` in the JVM's options (JAVA_TOOL_OPTIONS, the tool's own variable) or on the
 * command line sets it instead, as the maven image's docs do for non-root users.
 */
import type { CacheLocation, CommandScope } from '../cache-locations';

/** The value of `-D<name>=value` among a call's words (`-Dname=v`, `-D name=v`, `--define name=v`), the last one. */
export function definedProperty(words: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (word === '--') break;
    const pair = word.startsWith('-D') && word.length > 2 ? word.slice(2) : (word === '-D' || word === '--define') ? words[i + 1] ?? '' : undefined;
    if (pair !== undefined && pair.startsWith(`${name}=`)) found = pair.slice(name.length + 1);
  }
  return found;
}

/** The value of `-D<name>=value` in a variable of JVM options (MAVEN_OPTS, GRADLE_OPTS), split on blanks as the launch scripts do. */
export function propertyInOptions(options: string, name: string): string | undefined {
  return definedProperty(['', ...options.trim().split(/\s+/)], name);
}

/**
 * `sub` under the JVM's user.home for this call: `-Duser.home` on the call (when `words` are
 * given: the tool reads its own -D before placing its directory), then in the variables of JVM
 * options named (in the order the tool gives them precedence), then the home of the user.
 */
export function underJavaUserHome(scope: CommandScope, sub: string, options: readonly string[], words?: readonly string[]): CacheLocation {
  const onCall = words !== undefined ? definedProperty(words, 'user.home') : undefined;
  if (onCall !== undefined) return scope.locate(`${onCall}/${sub}`, '-Duser.home', 'runtime');
  for (const name of options) {
    const set = scope.lookup(name);
    const home = set !== undefined ? propertyInOptions(set.value, 'user.home') : undefined;
    if (set !== undefined && home !== undefined) return scope.locate(`${home}/${sub}`, `-Duser.home in ${set.via}`, set.when);
  }
  const { owner } = scope;
  const via = owner.root ? 'root' : `the home of ${owner.label}`;
  if (owner.home === undefined) return { via, unresolved: `~/${sub}`, owner, homeUnknown: true };
  return scope.locate(`${owner.home}/${sub}`, via, 'runtime');
}
