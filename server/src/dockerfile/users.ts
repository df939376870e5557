/**
 * Users a Dockerfile creates itself (useradd, adduser, groupadd, addgroup in RUN lines), so
 * rules can tell a USER's uid and home: a cache mount for a non-root user needs both.
 */
import type { Instruction } from 'dockerfile-ast';
import { parseRunScript, type SimpleCommand, type SourceView } from './shell';
import { expandWord } from './variables';

export interface KnownUser {
  name: string;
  uid?: number;
  gid?: number;
  home?: string;
}

export function collectKnownUsers(source: SourceView, instructions: readonly Instruction[]): Map<string, KnownUser> {
  const users = new Map<string, KnownUser>();
  const groups = new Map<string, number>();
  try {
    for (const instruction of instructions) {
      if (instruction.getKeyword().toUpperCase() !== 'RUN') continue;
      const range = instruction.getRange();
      const raw = source.text.slice(source.offsetAt(range.start), source.offsetAt(range.end));
      if (!USER_COMMANDS.test(raw)) continue; // most RUNs create no user: skip reading them
      for (const command of parseRunScript(source, instruction).commands) {
        readGroup(command, groups);
        const user = readUser(command, groups);
        if (user) users.set(user.name, user);
      }
    }
  } catch {
    // A user we cannot read is a user we do not know: its home and uid stay unknown.
  }
  return users;
}

const USER_COMMANDS = /\b(useradd|adduser|groupadd|addgroup)\b/;

function readGroup(command: SimpleCommand, groups: Map<string, number>) {
  const [name, ...args] = command.words.map((w) => w.value);
  if (name !== 'groupadd' && name !== 'addgroup') return;
  const { options, operands } = readOptions(args, ['-g', '--gid', '-K', '--key']);
  const gid = options.get('-g') ?? options.get('--gid');
  const group = operands[0];
  if (group && gid && /^\d+$/.test(gid)) groups.set(group, Number(gid));
}

function readUser(command: SimpleCommand, groups: Map<string, number>): KnownUser | undefined {
  const [name, ...args] = command.words.map((w) => w.value);
  if (name === 'useradd') {
    const { options, operands } = readOptions(args, ['-u', '--uid', '-g', '--gid', '-d', '--home-dir', '-s', '--shell', '-c', '--comment', '-G', '--groups', '-k', '--skel', '-e', '-f', '-K', '-p', '--password']);
    const user = operands[operands.length - 1];
    if (!user) return undefined;
    const uid = numberOf(options.get('-u') ?? options.get('--uid'));
    const group = options.get('-g') ?? options.get('--gid');
    return { name: user, uid, gid: numberOf(group) ?? (group ? groups.get(group) : undefined), home: options.get('-d') ?? options.get('--home-dir') ?? `/home/${user}` };
  }
  if (name === 'adduser') {
    // BusyBox/Alpine (`adduser -D -u 1000 -h /app app`) and Debian (`adduser --uid 1000 --home /app app`).
    const { options, operands } = readOptions(args, ['-u', '--uid', '-h', '--home', '-G', '--ingroup', '-g', '--gecos', '-s', '--shell', '-k', '--gid', '--firstuid', '--lastuid', '--conf']);
    const user = operands[0];
    if (!user) return undefined;
    const group = options.get('-G') ?? options.get('--ingroup');
    const gid = numberOf(options.get('--gid')) ?? (group ? groups.get(group) : undefined);
    return { name: user, uid: numberOf(options.get('-u') ?? options.get('--uid')), gid, home: options.get('-h') ?? options.get('--home') ?? `/home/${user}` };
  }
  return undefined;
}

function readOptions(args: string[], withValue: string[]) {
  const options = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) options.set(arg.slice(0, eq), arg.slice(eq + 1));
    else if (withValue.includes(arg)) options.set(arg, args[++i] ?? '');
    else if (/^-[a-zA-Z]\d+$/.test(arg) && withValue.includes(arg.slice(0, 2))) options.set(arg.slice(0, 2), arg.slice(2));
    else if (arg.startsWith('-')) options.set(arg, '');
    else operands.push(arg);
  }
  return { options, operands };
}

function numberOf(value: string | undefined): number | undefined {
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

// ---------------------------------------------------------------------------------------
// The user a base image runs as

/** A user an image defines, with the facts a cache mount needs. */
export interface ImageUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/**
 * What dockopt knows of the user an image runs as: root, a user it knows, or nothing (any image
 * it has no facts about: an application image may run as its own user).
 */
export type ImageDefaultUser = { kind: 'root' } | { kind: 'user'; user: ImageUser } | { kind: 'unknown' };

/**
 * Docker Official Images whose Dockerfiles set no USER, so they run as root. Only images checked
 * to be so: some official images do set one (haproxy, solr, sonarqube, elasticsearch…).
 */
const ROOT_IMAGES = new Set([
  'scratch', 'python', 'pypy', 'node', 'golang', 'rust', 'ruby', 'php', 'perl', 'openjdk', 'eclipse-temurin',
  'amazoncorretto', 'maven', 'buildpack-deps', 'gcc', 'debian', 'ubuntu', 'alpine', 'busybox', 'fedora', 'centos',
  'rockylinux', 'almalinux', 'oraclelinux', 'amazonlinux', 'archlinux', 'erlang', 'elixir', 'haskell', 'julia',
  'swift', 'r-base', 'nginx', 'httpd', 'bash',
  // The conda distributions' images (ContinuumIO/docker-images, conda-forge/miniforge-images): no USER either.
  'continuumio/miniconda3', 'continuumio/anaconda3', 'condaforge/miniforge3', 'condaforge/mambaforge', 'condaforge/miniforge-pypy3',
]);

/** Users that images create, by image (official name or repository): `node` has `node`, Jupyter's have `jovyan`. */
const JOVYAN: ImageUser = { name: 'jovyan', uid: 1000, gid: 100, home: '/home/jovyan' };
const IMAGE_USERS: Array<{ repository: RegExp; users: ImageUser[]; runsAs?: string; tag?: (tag: string) => boolean }> = [
  { repository: /^node$/, users: [{ name: 'node', uid: 1000, gid: 1000, home: '/home/node' }] },
  // The Jupyter Docker Stacks (docker.io/jupyter/*, quay.io/jupyter/*) run as jovyan (NB_UID 1000, NB_GID 100).
  { repository: /^(docker\.io\/|quay\.io\/)?jupyter\/[a-z0-9-]+-notebook$/, users: [JOVYAN], runsAs: 'jovyan' },
  // mamba-org/micromamba-docker: USER mambauser, uid and gid 57439 in every image since 24 August
  // 2023 (micromamba 1.5.0); 1000 in most images before. Only tags of those images, or floating ones.
  {
    repository: /^(ghcr\.io\/)?mambaorg\/micromamba$/,
    users: [{ name: 'mambauser', uid: 57439, gid: 57439, home: '/home/mambauser' }],
    runsAs: 'mambauser',
    tag: micromambaSince150,
  },
];

/** A micromamba image tag from 1.5.0 on: `latest`, `1.5.8-jammy`, `2`, `bookworm-slim` (which follow the latest); not `1.4.4-focal`, `git-…`. */
function micromambaSince150(tag: string): boolean {
  const version = /^(\d+)(?:\.(\d+))?/.exec(tag);
  if (!version) return tag !== '' && !tag.startsWith('git-');
  const [major, minor] = [Number(version[1]), version[2] === undefined ? undefined : Number(version[2])];
  return major >= 2 || (major === 1 && (minor === undefined || minor >= 5));
}

/** The tag of an image reference (`latest` when it has none; '' for a digest alone). */
function imageTag(reference: string): string {
  const name = reference.trim().toLowerCase();
  const at = name.indexOf('@');
  const bare = at >= 0 ? name.slice(0, at) : name;
  const colon = bare.lastIndexOf(':');
  if (colon > bare.lastIndexOf('/')) return bare.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function imageUsersOf(reference: string) {
  const repository = imageRepository(reference);
  return IMAGE_USERS.find((e) => e.repository.test(repository) && (e.tag === undefined || e.tag(imageTag(reference))));
}

/** `python:3.12-slim@sha256:…` → `python`; `docker.io/library/python` → `python`; `quay.io/jupyter/x:1` → `quay.io/jupyter/x`. */
export function imageRepository(reference: string): string {
  let name = reference.trim().toLowerCase();
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) name = name.slice(0, colon);
  return name.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
}

/**
 * Images that run as root only from some tag on. gradle: `USER gradle` until May 2019
 * (gradle/docker-gradle#99: root by default from then on, the gradle user kept, its uid 1000 or
 * 101 by variant): root for Gradle 5.5 and later and for floating tags (`jdk21`, `latest`); a digest
 * alone may be an older image.
 */
const ROOT_FROM_TAG: Array<{ repository: string; tag: (tag: string) => boolean }> = [
  { repository: 'gradle', tag: (tag) => { const v = /^(\d+)(?:\.(\d+))?/.exec(tag); return tag !== '' && (!v || Number(v[1]) > 5 || (Number(v[1]) === 5 && (v[2] === undefined || Number(v[2]) >= 5))); } },
];

/** What dockopt knows of the user the image runs as. */
export function imageDefaultUser(reference: string): ImageDefaultUser {
  const repository = imageRepository(reference);
  if (ROOT_IMAGES.has(repository) || ROOT_FROM_TAG.some((e) => e.repository === repository && e.tag(imageTag(reference)))) return { kind: 'root' };
  const entry = imageUsersOf(reference);
  const user = entry?.runsAs ? entry.users.find((u) => u.name === entry.runsAs) : undefined;
  return user ? { kind: 'user', user } : { kind: 'unknown' };
}

/** A user (by name or uid) that the image itself creates, when dockopt knows it. */
export function imageUserNamed(reference: string, name: string): ImageUser | undefined {
  const users = imageUsersOf(reference)?.users ?? [];
  return users.find((u) => u.name === name || String(u.uid) === name);
}

/**
 * A FROM's image with `$NAME`, `${NAME}`, `${NAME:-word}` taken from the ARGs declared before the
 * first FROM (their defaults: a --build-arg may name another image, which only the build knows).
 * Undefined when a variable has no default.
 */
export function resolveFromImage(image: string, globalArgs: ReadonlyMap<string, string>): string | undefined {
  if (!image.includes('$')) return image;
  // An empty default counts as unset, so `${NAME-word}` takes the word: a FROM needs an image.
  const expansion = expandWord(image, {
    lookup: (name) => {
      const value = globalArgs.get(name);
      return value === undefined || value === '' ? 'unset' : { value, origin: 'ARG default' };
    },
    unknown: 'give-up',
  });
  if (!expansion || expansion.uses.some((use) => use.operator === undefined && use.empty)) return undefined;
  return !expansion.text.includes('$') && expansion.text !== '' ? expansion.text : undefined;
}

/** The `NAME=default` pairs of an ARG instruction (a NAME without a default is left out). */
export function readArgDefaults(instruction: Instruction): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const arg of instruction.getArguments()) {
    const text = arg.getValue();
    const eq = text.indexOf('=');
    if (eq <= 0) continue;
    let value = text.slice(eq + 1);
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    out.push([text.slice(0, eq), value]);
  }
  return out;
}
