/**
 * The environment variables official images set that move a package manager's cache: the golang
 * image's GOPATH, the rust image's CARGO_HOME, miniforge's and micromamba's conda prefixes, the
 * Jupyter stacks' HOME. A RUN sees them
 * like an ENV of the Dockerfile, so a cache directory derived from them is known without an ENV.
 * Only images checked to set them; any other image sets nothing dockopt knows of.
 */
import { imageRepository } from './users';

const IMAGE_ENVIRONMENTS: Array<{ repository: RegExp; env: Readonly<Record<string, string>> }> = [
  // docker-library/golang: ENV GOPATH /go (GOMODCACHE is then /go/pkg/mod).
  { repository: /^golang$/, env: { GOPATH: '/go' } },
  // docker-library/rust: ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo.
  { repository: /^rust$/, env: { CARGO_HOME: '/usr/local/cargo', RUSTUP_HOME: '/usr/local/rustup' } },
  // conda-forge/miniforge-images: ENV CONDA_DIR=/opt/conda.
  { repository: /^condaforge\/(miniforge3|mambaforge|miniforge-pypy3)$/, env: { CONDA_DIR: '/opt/conda' } },
  // mambaorg/micromamba: ENV MAMBA_ROOT_PREFIX=/opt/conda.
  { repository: /^mambaorg\/micromamba$/, env: { MAMBA_ROOT_PREFIX: '/opt/conda' } },
  // jupyter/docker-stacks (docker-stacks-foundation, inherited by every *-notebook image): ENV
  // HOME="/home/${NB_USER}", jovyan's, whoever runs: after `USER root` pip's cache is still
  // below /home/jovyan.
  { repository: /^(docker\.io\/|quay\.io\/)?jupyter\/(?:[a-z0-9-]+-notebook|docker-stacks-foundation)$/, env: { HOME: '/home/jovyan' } },
];

/** The variables the image sets that dockopt knows of (none for an image it has no facts about). */
export function imageEnvironment(image: string | undefined): Readonly<Record<string, string>> {
  if (image === undefined) return NONE;
  let env = BY_IMAGE.get(image);
  if (env === undefined) {
    const repository = imageRepository(image);
    env = IMAGE_ENVIRONMENTS.find((e) => e.repository.test(repository))?.env ?? NONE;
    // Every RUN asks, and a file names few images: bounded so that no input grows it without end.
    if (BY_IMAGE.size >= 1000) BY_IMAGE.clear();
    BY_IMAGE.set(image, env);
  }
  return env;
}

const NONE: Readonly<Record<string, string>> = Object.freeze({});
const BY_IMAGE = new Map<string, Readonly<Record<string, string>>>();
