/**
 * Stand-ins for the official base images the rule pages' before/after pairs start FROM (nothing
 * can be pulled here): busybox (local/busybox:1, from scripts/docker-setup.sh) with every manager
 * stub of test/helpers/manager-stubs.ts, plus what the real image has that a cache depends on:
 * its user and home, the variables that move caches (golang's GOPATH, rust's CARGO_HOME…), and
 * its distribution's setup (Debian and Ubuntu images delete downloaded .debs through
 * /etc/apt/apt.conf.d/docker-clean; Alpine has no /etc/apk/cache).
 *
 * A pair's `FROM python:3.12-slim` is built as `FROM python:dockopt-stub-3.12-slim`: the same
 * repository (what dockopt's knowledge of official images keys on), a tag no other test uses
 * (python:3.12-slim itself is scripts/docker-setup.sh's stand-in for other suites).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { HELPER_COMMANDS, MANAGER_STUBS, STUB_LIBRARY, CONDA_STUB } from './manager-stubs';

const run = promisify(execFile);

/** Debian's and Ubuntu's docker-clean (their images' build scripts write these three lines). */
const DOCKER_CLEAN = [
  'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };',
  'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };',
  'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";',
  '',
].join('\n');

const FLAVORS = {
  debian: [
    'COPY docker-clean /etc/apt/apt.conf.d/docker-clean',
    'RUN mkdir -p /var/cache/apt/archives/partial /var/lib/apt/lists/partial && echo 12.0 >/etc/debian_version',
  ],
  // A fresh Alpine image: no indexes in /var/cache/apk, no /etc/apk/cache.
  alpine: ['RUN mkdir -p /etc/apk /var/cache/apk && echo 3.20.0 >/etc/alpine-release && touch /etc/apk/world'],
};

const user = (name: string, uid: number, gid: number, home: string) =>
  `RUN echo '${name}:x:${uid}:${gid}::${home}:/bin/sh' >>/etc/passwd && echo '${name}:x:${gid}:' >>/etc/group && mkdir -p ${home} && chown ${uid}:${gid} ${home}`;

interface StandIn {
  repository: RegExp;
  /** Dockerfile lines after the stubs and the distribution's setup. */
  lines: string[];
  /** Where the image has conda / mamba / micromamba. */
  conda?: string[];
  /** The distribution, when the tag does not say (`-alpine`: Alpine; else Debian). */
  flavor?: keyof typeof FLAVORS;
}

const STAND_INS: StandIn[] = [
  { repository: /^alpine$/, lines: [], flavor: 'alpine' },
  { repository: /^(debian|ubuntu|buildpack-deps|python|eclipse-temurin|openjdk|amazoncorretto)$/, lines: [] },
  { repository: /^node$/, lines: [user('node', 1000, 1000, '/home/node')] },
  // docker-library/golang: GOPATH=/go, world-writable, the working directory.
  { repository: /^golang$/, lines: ['ENV GOPATH=/go', 'ENV PATH=/go/bin:/usr/local/go/bin:$PATH', 'RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go', 'WORKDIR /go'] },
  // docker-library/rust: RUSTUP_HOME and CARGO_HOME under /usr/local, writable by all.
  { repository: /^rust$/, lines: ['ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:$PATH', 'RUN mkdir -p /usr/local/rustup /usr/local/cargo/bin && chmod -R a+w /usr/local/rustup /usr/local/cargo'] },
  // docker-library/maven: runs as root; MAVEN_CONFIG is read by the image's entrypoint, not by mvn.
  { repository: /^maven$/, lines: ['ENV MAVEN_HOME=/usr/share/maven MAVEN_CONFIG=/root/.m2', 'RUN mkdir -p /usr/share/maven/conf /usr/share/maven/ref'] },
  // keeganwitt/docker-gradle: a gradle user (1000), /root/.gradle linked to its ~/.gradle, runs as root.
  {
    repository: /^gradle$/,
    lines: ['ENV GRADLE_HOME=/opt/gradle', user('gradle', 1000, 1000, '/home/gradle'), 'RUN mkdir -p /home/gradle/.gradle && chown 1000:1000 /home/gradle/.gradle && ln -s /home/gradle/.gradle /root/.gradle', 'VOLUME /home/gradle/.gradle', 'WORKDIR /home/gradle'],
  },
  // continuumio: conda in /opt/conda, root.
  { repository: /^continuumio\/(miniconda3|anaconda3)$/, conda: ['/opt/conda/bin/conda'], lines: ['ENV PATH=/opt/conda/bin:$PATH'] },
  // conda-forge/miniforge-images: CONDA_DIR=/opt/conda, conda and mamba, root.
  { repository: /^condaforge\/(miniforge3|mambaforge|miniforge-pypy3)$/, conda: ['/opt/conda/bin/conda', '/opt/conda/bin/mamba'], lines: ['ENV CONDA_DIR=/opt/conda PATH=/opt/conda/bin:$PATH'] },
  // mambaorg/micromamba: /bin/micromamba, MAMBA_ROOT_PREFIX=/opt/conda owned by mambauser (57439), who it runs as.
  {
    repository: /^mambaorg\/micromamba$/,
    conda: ['/bin/micromamba'],
    lines: ['ENV MAMBA_ROOT_PREFIX=/opt/conda MAMBA_USER=mambauser MAMBA_USER_ID=57439 MAMBA_USER_GID=57439 MAMBA_EXE=/bin/micromamba', user('mambauser', 57439, 57439, '/home/mambauser'), 'RUN mkdir -p /opt/conda && chown 57439:57439 /opt/conda', 'USER mambauser'],
  },
  // Jupyter Docker Stacks: jovyan (1000, group users 100), conda and mamba in CONDA_DIR=/opt/conda, owned by jovyan.
  {
    repository: /^(docker\.io\/|quay\.io\/)?jupyter\/[a-z0-9-]+-notebook$/,
    conda: ['/opt/conda/bin/conda', '/opt/conda/bin/mamba'],
    lines: ['ENV CONDA_DIR=/opt/conda PATH=/opt/conda/bin:$PATH', "RUN echo 'jovyan:x:1000:100::/home/jovyan:/bin/sh' >>/etc/passwd && echo 'users:x:100:' >>/etc/group && mkdir -p /home/jovyan && chown 1000:100 /home/jovyan", 'RUN chown -R 1000:100 /opt/conda', 'USER 1000'],
  },
];

/** `quay.io/jupyter/x:1@sha256:…` → repository `quay.io/jupyter/x`, tag `1`. */
function splitReference(image: string): { repository: string; tag: string } {
  const name = image.replace(/@.*$/, '');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const repository = (hasTag ? name.slice(0, colon) : name).replace(/^(docker\.io\/)?library\//, '');
  return { repository, tag: hasTag ? name.slice(colon + 1) : 'latest' };
}

/** The stand-in's tag for an image a pair names, or why there is none. */
export function standInTag(image: string): { tag: string } | { problem: string } {
  const { repository, tag } = splitReference(image);
  if (!STAND_INS.some((s) => s.repository.test(repository))) {
    return { problem: `no stand-in for the base image ${image}: add its repository to test/helpers/manager-stand-ins.ts (user, variables, distribution of the real image)` };
  }
  return { tag: `${repository}:dockopt-stub-${tag.replace(/[^\w.-]/g, '_')}` };
}

/** The stand-in's Dockerfile and the files of its build context. */
function standInBuild(stubTag: string): { dockerfile: string; files: Record<string, string> } {
  const { repository, tag } = splitReference(stubTag);
  const standIn = STAND_INS.find((s) => s.repository.test(repository));
  if (!standIn) throw new Error(`no stand-in for ${stubTag}`);
  const flavor = standIn.flavor ?? (/alpine/.test(tag) ? 'alpine' : 'debian');
  const files: Record<string, string> = { 'dockopt-stub.sh': STUB_LIBRARY, 'docker-clean': DOCKER_CLEAN, 'conda-stub': CONDA_STUB };
  const onPath = { ...HELPER_COMMANDS, ...Object.assign({}, ...Object.values(MANAGER_STUBS).map((s) => s.files)) } as Record<string, string>;
  const copies: string[] = [];
  for (const [target, text] of Object.entries(onPath)) {
    const name = `bin-${path.basename(target)}`;
    files[name] = text;
    copies.push(`COPY ${name} ${target}`);
  }
  const dockerfile = [
    'FROM local/busybox:1',
    // Debian's and Alpine's PATH (busybox's import has only /usr/local/bin:/bin).
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'COPY dockopt-stub.sh /usr/local/lib/dockopt-stub.sh',
    ...copies,
    ...(standIn.conda ?? []).map((target) => `COPY conda-stub ${target}`),
    ...FLAVORS[flavor],
    ...standIn.lines,
    '',
  ].join('\n');
  return { dockerfile, files };
}

async function labelOf(docker: string, image: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(docker, ['image', 'inspect', '--format', '{{index .Config.Labels "dockopt.manager-stubs"}}', image]);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * Builds the stand-ins that are missing or whose stubs changed (the label holds a hash of the
 * whole build, so an edited stub rebuilds its images without a version to bump).
 */
export async function ensureStandIns(docker: string, tags: Iterable<string>): Promise<void> {
  await Promise.all(
    [...new Set(tags)].map(async (tag) => {
      const { dockerfile, files } = standInBuild(tag);
      const hash = createHash('sha256').update(JSON.stringify([dockerfile, files])).digest('hex').slice(0, 16);
      if ((await labelOf(docker, tag)) === hash) return;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-stand-in-'));
      try {
        for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, { mode: 0o755 });
        fs.writeFileSync(path.join(dir, 'Dockerfile'), `${dockerfile}LABEL dockopt.manager-stubs=${hash}\n`);
        await run(docker, ['build', '--network=none', '-q', '-t', tag, dir], { env: { ...process.env, DOCKER_BUILDKIT: '1' } });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }),
  );
}
