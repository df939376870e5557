/**
 * What dockopt knows of one package manager's cache, as one table entry: which commands use the
 * cache, where the cache is (for the user that runs them, through the manager's variables and
 * flags), what switches it off or wipes it, and what else a cache mount needs to work. The rules
 * `cache-mount` and `cache-disabled` read every manager through this one shape; adding a manager
 * is an entry in `index.ts`, fixtures and a docs section.
 */
import type { CacheLocation, CommandScope } from '../cache-locations';
import type { InstructionInfo, DockerfileModel } from '../model';
import type { RunScript, ShellWord, SimpleCommand } from '../shell';

/** One call of the manager that uses its cache (`apk add`, `uv sync`, `go build`). */
export interface ManagerCall {
  command: SimpleCommand;
  /** The words of the call from the command name on (after `sudo`, `env`…). */
  words: readonly ShellWord[];
  /** The word the finding ends on and after which an option is inserted (`add`, `install`, `sync`). */
  subcommand: ShellWord;
  /** Words of the call that switch the cache off (`--no-cache`), which a cache mount makes harmful. */
  disableWords: ShellWord[];
  /** A cache directory the call names itself (`--cache-dir DIR`), when it does. */
  cacheDir?: string;
}

/** One cache directory of a call, where the manager writes it. */
export interface ManagerCache extends CacheLocation {
  /** `locked`: the manager takes a lock a concurrent build on a shared mount would fight over (apt, apk). */
  sharing?: 'locked';
  /** What it holds, for messages when a manager has several (`package lists`, `build cache`). */
  holds?: string;
  /** A sentence the finding adds when the directory is unknown: what to know before mounting it. */
  caution?: string;
}

/** A variable that switches the manager's cache off, and which of its values do. */
export interface DisablingVariable {
  name: string;
  disables(value: string): boolean;
}

/** What the fix must change besides the mounts for the cache to be used. */
export interface MountNeeds {
  /** An option to add after the call's subcommand (`--update-cache` for apk, `--link-mode=copy` for uv). */
  option?: string;
  /** A command to run first in the RUN (apt: remove docker-clean), with why, for the fix's title. */
  prelude?: { command: string; why: string };
}

export interface PackageManager {
  /** As users write it, for messages: `apt`, `apk`, `uv`, `Go`. */
  name: string;
  /** What a build without these caches does again, for messages (default `downloads every package`): Go compiles too. */
  redoes?(caches: readonly ManagerCache[]): string;
  /** The docs section of the rule pages (`#apt`). */
  anchor: string;
  /** A cheap test on a RUN's text before its commands are read: most RUNs use no manager. */
  mentioned: RegExp;
  /** The call, when the command (after wrappers) is this manager using its cache. */
  readCall(command: SimpleCommand, words: readonly ShellWord[]): ManagerCall | undefined;
  /** Where the call's caches are, for the user and environment it runs with. */
  caches(call: ManagerCall, scope: CommandScope, context: ManagerContext): ManagerCache[];
  /** Variables that switch the cache off (UV_NO_CACHE), read from the call's assignments and the ENVs. */
  disablingVariables?: readonly DisablingVariable[];
  /** A command (its words after wrappers) that empties the cache: `yarn cache clean`, `apt-get clean`. */
  isCacheWipe?(words: readonly string[]): boolean;
  /** What else the mount needs for this call (undefined: nothing). */
  mountNeeds?(call: ManagerCall, scope: CommandScope, context: ManagerContext): MountNeeds | undefined;
  /**
   * A reason the mounted cache is still not used in this RUN (apt's docker-clean), when there is
   * one: why, the first command that fixes it, and the cache directory it concerns (default: all).
   */
  mountedButUnused?(context: ManagerContext): { why: string; prelude: string; dir?: string } | undefined;
  /**
   * Whether the tool also writes in the folder above its mounted cache folders (Poetry's
   * virtualenvs beside `cache/` and `artifacts/`, Gradle's `native/` and `daemon/` beside
   * `caches/`, pnpm's own files beside its store). BuildKit creates the folders above a cache
   * mount owned by root when the image lacks them, so the tool, run as another user, cannot write
   * there: for such a user the mount is not added by itself.
   */
  writesBesideCache?(call: ManagerCall, scope: CommandScope, context: ManagerContext): boolean;
  /**
   * Why dockopt will not add the mount by itself for this call (the virtualenv poetry would put
   * inside the mounted cache…), when it will not: the finding stays, without a preferred fix.
   */
  unsafeMount?(call: ManagerCall, scope: CommandScope, context: ManagerContext): string | undefined;
}

/** The RUN a call is in, for entries that look around it (an earlier `apk update`, a removed docker-clean). */
export interface ManagerContext {
  model: DockerfileModel;
  info: InstructionInfo;
  script: RunScript;
}
