/**
 * What the RUNs after a `COPY . .` do with the project's source it brings into a folder: which
 * of their commands are dependency installs (and whether an install needs the source itself),
 * which may read the source, and which leave it alone. Each command's role comes from
 * dockerfile/command-roles.ts; this walk adds where the shell is (`cd`) and what lies in the folder.
 */
import type { DockerfileModel, InstructionInfo, Stage } from '../dockerfile/model';
import { parseRunScript, type SimpleCommand } from '../dockerfile/shell';
import { roleOf, type CommandRole } from '../dockerfile/command-roles';
import { resolveIn } from '../dockerfile/container-paths';
import { expandEnv } from '../dockerfile/variables';
import { touches } from '../dockerfile/named-paths';
import type { Ecosystem, SourceNeed } from '../dockerfile/install-reading';
import type { PlacedInstall } from './manifest-copies';

/** Why an install needs the source itself, so it cannot run before the source is copied. */
export type InstallSourceNeed =
  /** dependency-installs.ts says why (`poetry install` without `--no-root`) and how to split it. */
  | { kind: 'needsSource'; need: SourceNeed }
  /** It installs a local path (`pip install .`) that lies in the copied folder. */
  | { kind: 'projectFromSource'; label: string; path: string };

export interface RunInstall extends PlacedInstall {
  /** Why this install needs the source the broad COPY brings, when it does. */
  needs?: InstallSourceNeed;
}

export interface RunUse {
  /** The dependency installs of the RUN that read what the broad COPY brings. */
  installs: RunInstall[];
  /** Its other commands that may read the source, in order, and whether each comes after an install. */
  readers: Array<{ command: SimpleCommand; afterInstall: boolean }>;
}

export type RunRoles = (info: InstructionInfo) => ReadonlyArray<{ command: SimpleCommand; role: CommandRole }>;

/** The role of each command of a RUN, each RUN parsed once. */
export function runRolesOf(model: DockerfileModel): RunRoles {
  const memo = new Map<InstructionInfo, Array<{ command: SimpleCommand; role: CommandRole }>>();
  return (info) => {
    let roles = memo.get(info);
    if (!roles) {
      roles = parseRunScript(model, info.ast).commands.map((command) => ({ command, role: roleOf(command) }));
      memo.set(info, roles);
    }
    return roles;
  };
}

/**
 * Ecosystems whose dependencies were already installed from their manifests before the
 * instruction at `index` of `stage` (there or in a parent stage).
 */
export function ecosystemsInstalledBefore(stage: Stage, index: number, rolesOf: RunRoles): Set<Ecosystem> {
  const found = new Set<Ecosystem>();
  const seen = new Set<Stage>();
  for (let s: Stage | undefined = stage; s && !seen.has(s); s = s.parent) {
    seen.add(s);
    // By index, not a slice or an iterator: the stage's list charges every walk (charged-list.ts).
    const end = s === stage ? index : s.instructions.length;
    for (let k = 0; k < end; k++) {
      const info = s.instructions[k];
      if (info.keyword !== 'RUN') continue;
      for (const ecosystem of ecosystemsInstalledBy(info, rolesOf)) found.add(ecosystem);
    }
  }
  return found;
}

/** The ecosystems a RUN installs from their manifests alone (not the project from its source). */
export function ecosystemsInstalledBy(info: InstructionInfo, rolesOf: RunRoles): Ecosystem[] {
  const found: Ecosystem[] = [];
  for (const { role } of rolesOf(info)) {
    if (role.role === 'install' && role.install.manifests.required.length > 0 && !role.install.needsSource) found.push(role.install.ecosystem);
  }
  return found;
}

export interface RunUseOptions {
  /** The RUN's WORKDIR (absolute). */
  workdir: string;
  /** The folder the broad COPY fills (absolute). */
  destDir: string;
  /** Ecosystems installed from their manifests earlier: installing the project after them only reads the source. */
  prior: ReadonlySet<Ecosystem>;
  /** Whether another stage's `COPY --from` put this path (as named from `cwd`) in place: it is not the source. */
  fromStage(path: string, cwd: string | undefined): boolean;
  /** The installs of this RUN are fine where they are (a suppression on it): they only read the source. */
  installsOnlyRead: boolean;
}

/** What a RUN does with the files the broad COPY brings into `destDir`. */
export function readRunUse(info: InstructionInfo, rolesOf: RunRoles, options: RunUseOptions): RunUse {
  const { workdir, destDir, prior, fromStage } = options;
  const use: RunUse = { installs: [], readers: [] };
  let cwd: string | undefined = workdir;
  for (const { command, role } of rolesOf(info)) {
    const afterInstall = use.installs.length > 0;
    if (role.role === 'cd') {
      const to = role.to === undefined ? undefined : expandEnv(role.to, info.env);
      cwd = cwd === undefined || to === undefined || to.includes('$') ? undefined : resolveIn(cwd, to);
    } else if (role.role === 'may-read-source') {
      use.readers.push({ command, afterInstall });
    } else if (role.role === 'paths') {
      if (role.paths.some((p) => touches(p, cwd, destDir, info.env))) use.readers.push({ command, afterInstall });
    } else if (role.role === 'install') {
      const { install } = role;
      const localInDest = install.localPaths.find((p) => touches(p, cwd, destDir, info.env) && !fromStage(p, cwd));
      const needs: InstallSourceNeed | undefined = install.needsSource
        ? { kind: 'needsSource', need: install.needsSource }
        : localInDest !== undefined
          ? { kind: 'projectFromSource', label: install.label, path: localInDest }
          : undefined;
      const readsFiles = needs !== undefined || install.manifests.required.some((p) => !fromStage(p, cwd));
      if (!readsFiles) continue; // e.g. wheels built in another stage: nothing COPY . . brings
      if (options.installsOnlyRead || (needs && prior.has(install.ecosystem))) {
        // Installing the project after its dependencies is the right order: it just reads the source.
        use.readers.push({ command, afterInstall });
        continue;
      }
      const ignoresScripts = command.words.some((w) => w.value === '--ignore-scripts');
      use.installs.push({ install, run: info, workdir, cwd, needs, ignoresScripts });
    }
  }
  return use;
}
