/**
 * The errors a user meets when building, each with what happened and the way out.
 * Classified from how the client failed (spawn errors, exit code, its error output).
 */
export type ProblemKind =
  | 'client-not-found'
  | 'client-not-runnable'
  | 'dockerfile-unreadable'
  | 'daemon-unreachable'
  | 'permission-denied'
  | 'buildkit-unavailable'
  | 'builder-needs-buildx'
  | 'legacy-builder'
  | 'build-failed'
  | 'canceled'
  | 'unknown';

export interface BuildProblem {
  kind: ProblemKind;
  message: string;
  /** What the user can do about it. */
  hint: string;
  /** For build-failed: the step that failed and its Dockerfile line (0-based) when known. */
  step?: { name: string; line: number | null; error: string | null };
}

export function clientNotFound(command: string): BuildProblem {
  return {
    kind: 'client-not-found',
    message: `'${command}' was not found on PATH.`,
    hint: 'Install Docker (or Podman/nerdctl), or set dockopt.build.command (CLI: --command) to the client\'s full path, e.g. /usr/bin/docker.',
  };
}

export function clientNotRunnable(command: string, reason: string): BuildProblem {
  return {
    kind: 'client-not-runnable',
    message: `'${command}' could not be started: ${reason}.`,
    hint: 'Check that the build command is an executable client (dockopt.build.command, CLI: --command).',
  };
}

export function builderNeedsBuildx(command: string): BuildProblem {
  return {
    kind: 'builder-needs-buildx',
    message: `A builder was requested but '${command} buildx' is not available.`,
    hint: 'Install the docker buildx plugin, or clear dockopt.build.builder (CLI: drop --builder).',
  };
}

export function canceled(): BuildProblem {
  return { kind: 'canceled', message: 'Build cancelled.', hint: 'Run the build again when ready.' };
}

export function legacyBuilder(): BuildProblem {
  return {
    kind: 'legacy-builder',
    message: "The client ran the legacy builder, not BuildKit: per-step cache statistics are not available.",
    hint: 'Use a client with BuildKit (Docker 23+ or the buildx plugin), or make sure DOCKER_BUILDKIT is not 0 and the daemon supports BuildKit.',
  };
}

export function buildFailed(step: { name: string; line: number | null; error: string | null } | null, errorText: string | null): BuildProblem {
  const where = step ? `${step.name}${step.line !== null ? ` (Dockerfile line ${step.line + 1})` : ''}` : null;
  const why = step?.error ?? errorText;
  return {
    kind: 'build-failed',
    message: where ? `Build failed at ${where}${why ? `: ${why}` : ''}` : `Build failed${why ? `: ${why}` : ''}`,
    hint: step?.line !== null && step ? `Open the Dockerfile at line ${step.line + 1} and read the step's output above.` : 'Read the build output above.',
    ...(step ? { step } : {}),
  };
}

/** Problems visible in the client's own error output, before or instead of any step. `command`: the client that ran. */
export function classifyClientError(output: string, command = 'docker'): BuildProblem | null {
  if (/permission denied while trying to connect to the Docker daemon/i.test(output)) {
    return {
      kind: 'permission-denied',
      message: 'No permission to talk to the Docker daemon.',
      hint: 'Add your user to the docker group (sudo usermod -aG docker $USER, then log in again), or use rootless Docker.',
    };
  }
  if (/Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|connect: no such file or directory.*docker\.sock/i.test(output)) {
    return {
      kind: 'daemon-unreachable',
      message: 'The Docker daemon is not running (or DOCKER_HOST points to nothing).',
      hint: 'Start Docker (Docker Desktop, or sudo systemctl start docker), then build again; check DOCKER_HOST and the docker context.',
    };
  }
  if (/buildx component is missing or broken/i.test(output)) {
    // Docker CLI 23+ builds with BuildKit only through the buildx plugin; without it, it refuses.
    return {
      kind: 'buildkit-unavailable',
      message: `'${command}' is a Docker CLI without the buildx plugin, and this Docker CLI runs BuildKit builds only through buildx.`,
      hint: `Install the buildx plugin (Debian/Ubuntu: docker-buildx or docker-buildx-plugin; see https://docs.docker.com/go/buildx/), or set dockopt.build.command (CLI: --command) to a client with BuildKit built in, such as Debian's /usr/bin/docker (package docker.io), podman or nerdctl.`,
    };
  }
  if (/BuildKit is not supported|buildkit not supported|does not support buildkit/i.test(output)) {
    return {
      kind: 'buildkit-unavailable',
      message: 'BuildKit is not available to this client.',
      hint: 'Install the docker buildx plugin (package docker-buildx or docker-buildx-plugin), or point dockopt.build.command (CLI: --command) at a client with BuildKit, e.g. /usr/bin/docker.',
    };
  }
  return null;
}
