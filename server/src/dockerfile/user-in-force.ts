/**
 * Who runs an instruction, and what dockopt knows of them: the USER in force (root, a user the
 * file or the image creates, or the base image's own user, which stays *unknown*: never taken for
 * root), the user a `sudo -u` switches to, and their home, uid and gid when known. The one place
 * that turns a user's name into those facts; users.ts holds the facts themselves.
 */
import type { Instruction } from 'dockerfile-ast';
import type { SimpleCommand } from './shell';
import { commandStart } from './package-managers';
import { imageDefaultUser, imageUserNamed, type KnownUser } from './users';

export interface UserInForce {
  /** As written after USER, without the group: a name or a numeric uid. */
  name: string;
  /** Numeric uid when known (numeric USER, or useradd/adduser -u in this Dockerfile). */
  uid?: number;
  gid?: number;
  /**
   * The user the base image runs as, which dockopt does not know (an image without USER in this
   * file that is not one it has facts about): `name` is then ''. Not root, not any user.
   */
  unknown?: true;
}

/** The user a stage starts as when it starts from an image: undefined for root. */
export function baseImageUser(image: string | undefined): UserInForce | undefined {
  const known = image === undefined ? { kind: 'unknown' as const } : imageDefaultUser(image);
  if (known.kind === 'root') return undefined;
  if (known.kind === 'user') return { name: known.user.name, uid: known.user.uid, gid: known.user.gid };
  return { name: '', unknown: true };
}

/** The user a USER instruction switches to: undefined for root. */
export function readUserInstruction(instruction: Instruction, known: ReadonlyMap<string, KnownUser>): UserInForce | undefined {
  const arg = instruction.getArguments()[0]?.getValue();
  if (!arg) return undefined;
  const [name, group] = arg.split(':');
  const numeric = /^\d+$/.test(name) ? Number(name) : undefined;
  if (name === 'root' || numeric === 0) return undefined;
  const knownUser = known.get(name);
  const uid = numeric ?? knownUser?.uid;
  const gid = group && /^\d+$/.test(group) ? Number(group) : knownUser?.gid;
  return { name, uid, gid };
}

/** A user with the facts a cache mount needs; each fact undefined when dockopt does not know it. */
export interface ResolvedUser {
  /** `root`, the user as written after USER / `sudo -u`, or `the user of <image>`. */
  label: string;
  root: boolean;
  /** Undefined when dockopt does not know it (the base image's user, or a user it did not create). */
  home?: string;
  uid?: number;
  gid?: number;
  /** The base image's own user, which dockopt does not know. */
  unknown?: true;
}

/** What a user is resolved against: the users the file creates and the stage's base image. */
export interface UserFacts {
  knownUsers: ReadonlyMap<string, KnownUser>;
  image?: string;
}

const ROOT: ResolvedUser = { label: 'root', root: true, home: '/root' };

/** The facts of the user in force (undefined: root); an unknown user stays unknown. */
export function resolveUser(facts: UserFacts, user: UserInForce | undefined): ResolvedUser {
  if (!user) return ROOT;
  const { image, knownUsers } = facts;
  if (user.unknown) return { label: `the user of ${image ?? 'the base image'}`, root: false, unknown: true };
  const numeric = /^\d+$/.test(user.name);
  const known = knownUsers.get(user.name) ?? (numeric ? [...knownUsers.values()].find((u) => u.uid === Number(user.name)) : undefined);
  const fromImage = image !== undefined ? imageUserNamed(image, user.name) : undefined;
  // A uid without a passwd entry gets HOME=/ from Docker: known only when the image's users are.
  const imageKnown = image !== undefined && imageDefaultUser(image).kind !== 'unknown';
  return {
    label: user.name,
    root: false,
    home: known?.home ?? fromImage?.home ?? (numeric && imageKnown ? '/' : undefined),
    uid: user.uid ?? known?.uid ?? fromImage?.uid,
    gid: user.gid ?? known?.gid ?? fromImage?.gid,
  };
}

/** The user `sudo -u NAME` (or `-u '#1000'`) switches to. */
export function resolveSudoUser(facts: UserFacts, target: string): ResolvedUser {
  const name = target.replace(/^#/, ''); // sudo -u '#1000' takes a uid
  if (name === 'root' || name === '0') return resolveUser(facts, undefined);
  const uid = /^\d+$/.test(name) ? Number(name) : undefined;
  return resolveUser(facts, { name, uid });
}

/** The user `sudo`/`doas` switches to (`root` unless -u), or undefined when the command has no sudo. */
export function sudoTarget(command: SimpleCommand): { user: string; preservesEnv: boolean } | undefined {
  const { index } = commandStart(command);
  let target: { user: string; preservesEnv: boolean } | undefined;
  const words = command.words;
  for (let i = 0; i < index; i++) {
    const value = words[i].value;
    if (/^(.*\/)?(sudo|doas)$/.test(value)) target = { user: 'root', preservesEnv: false };
    else if (!target) continue;
    else if (value === '-u' || value === '--user') target.user = words[i + 1]?.value ?? target.user;
    else if (/^-u./.test(value)) target.user = value.slice(2);
    else if (value.startsWith('--user=')) target.user = value.slice('--user='.length);
    else if (value === '-E' || value.startsWith('--preserve-env')) target.preservesEnv = true;
  }
  return target;
}
