/** conda, mamba and micromamba through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { imageDefaultUser } from '../../server/src/dockerfile/users';
import { runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/opt/conda/pkgs,sharing=locked';
const MAMBAUSER = '--mount=type=cache,target=/opt/conda/pkgs,sharing=locked,uid=57439,gid=57439';

runRuleTests(cacheMount, {
  valid: [
    { name: 'mounted', code: `FROM continuumio/miniconda3\nRUN ${MOUNT} conda install -y numpy\n` },
    { name: 'another sharing, an id', code: 'FROM condaforge/miniforge3\nRUN --mount=type=cache,id=conda,target=/opt/conda/pkgs mamba install -y numpy\n' },
    { name: 'a parent of the cache mounted', code: 'FROM continuumio/miniconda3\nRUN --mount=type=cache,target=/opt/conda conda env update -f environment.yml\n' },
    { name: 'CONDA_PKGS_DIRS set and mounted there', code: 'FROM continuumio/miniconda3\nENV CONDA_PKGS_DIRS=/var/cache/conda\nRUN --mount=type=cache,target=/var/cache/conda conda create -y -n app python\n' },
    { name: "the micromamba image's user with a mount it owns", code: `FROM mambaorg/micromamba:1.5.8\nRUN ${MAMBAUSER} micromamba install -y -n base python=3.12\n` },
    { name: 'conda commands that download nothing', code: 'FROM continuumio/miniconda3\nRUN conda --version && conda info && conda list && conda env list && conda run -n base python -V && conda remove -y tk\n' },
    { name: 'the word conda elsewhere', code: 'FROM python:3.12\nRUN pip install conda-lock && echo conda install\n' },
  ],
  invalid: [
    {
      name: 'continuumio/miniconda3: /opt/conda/pkgs, locked, and the conda clean goes',
      code: 'FROM continuumio/miniconda3:24.1.2-0\nCOPY environment.yml .\nRUN conda env create -f environment.yml && conda clean -afy\n',
      errors: [{ messageId: 'mountMissing', line: 3, column: 5, endColumn: 21, data: { manager: 'conda', dirs: '/opt/conda/pkgs', flags: MOUNT } }],
      output: `FROM continuumio/miniconda3:24.1.2-0\nCOPY environment.yml .\nRUN ${MOUNT} conda env create -f environment.yml\n`,
    },
    {
      name: 'condaforge/miniforge3 with mamba',
      code: 'FROM condaforge/miniforge3\nRUN mamba install -y -c conda-forge numpy && mamba clean --all --yes\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { manager: 'mamba', dirs: '/opt/conda/pkgs' } }],
      output: `FROM condaforge/miniforge3\nRUN ${MOUNT} mamba install -y -c conda-forge numpy\n`,
    },
    {
      name: "the micromamba image (1.5 and later): its user's uid and gid on the mount",
      code: 'FROM mambaorg/micromamba:1.5.8\nCOPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml\nRUN micromamba install -y -n base -f /tmp/env.yaml && \\\n    micromamba clean --all --yes\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { manager: 'micromamba', dirs: '/opt/conda/pkgs (as mambauser)', flags: MAMBAUSER } }],
      output: `FROM mambaorg/micromamba:1.5.8\nCOPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml\nRUN ${MAMBAUSER} micromamba install -y -n base -f /tmp/env.yaml\n`,
    },
    {
      name: 'an older micromamba image, whose user had another uid: reported, the mount only offered',
      code: 'FROM mambaorg/micromamba:1.4.2\nRUN micromamba install -y -n base python=3.11\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
    {
      name: 'the micromamba image as root: no uid',
      code: 'FROM mambaorg/micromamba\nUSER root\nRUN micromamba create -y -p /opt/env python\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/opt/conda/pkgs' } }],
      output: `FROM mambaorg/micromamba\nUSER root\nRUN ${MOUNT} micromamba create -y -p /opt/env python\n`,
    },
    {
      name: 'micromamba --root-prefix',
      code: 'FROM debian:12\nRUN micromamba -r /opt/mamba create -y -n app python\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/opt/mamba/pkgs' } }],
      output: 'FROM debian:12\nRUN --mount=type=cache,target=/opt/mamba/pkgs,sharing=locked micromamba -r /opt/mamba create -y -n app python\n',
    },
    {
      name: 'micromamba without a root prefix: its default depends on its version, so no fix',
      code: 'FROM debian:12\nRUN micromamba create -y -p /opt/env python\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 2 }],
      output: null,
    },
    {
      name: 'a Miniforge installed by an earlier RUN with -p, conda by its path and by name',
      code: 'FROM debian:12\nRUN bash /tmp/Miniforge3-Linux-x86_64.sh -b -p /opt/conda\nRUN /opt/conda/bin/conda install -y numpy\nRUN conda create -y -n app python\n',
      errors: [{ messageId: 'mountMissing', line: 3 }, { messageId: 'mountMissing', line: 4 }],
      output: `FROM debian:12\nRUN bash /tmp/Miniforge3-Linux-x86_64.sh -b -p /opt/conda\nRUN ${MOUNT} /opt/conda/bin/conda install -y numpy\nRUN ${MOUNT} conda create -y -n app python\n`,
    },
    {
      name: 'the installer prefix through a variable',
      code: 'FROM debian:12\nENV CONDA_DIR=/opt/miniconda\nRUN sh miniconda.sh -b -p $CONDA_DIR\nRUN conda install -y numpy\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/opt/miniconda/pkgs' } }],
      output: 'FROM debian:12\nENV CONDA_DIR=/opt/miniconda\nRUN sh miniconda.sh -b -p $CONDA_DIR\nRUN --mount=type=cache,target=/opt/miniconda/pkgs,sharing=locked conda install -y numpy\n',
    },
    {
      name: 'the RUN that installs conda: its installer refuses a prefix the mount would create, so no fix by itself',
      code: 'FROM debian:12\nRUN bash Miniforge3.sh -b -p /opt/conda && /opt/conda/bin/mamba install -y numpy\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
    {
      name: 'conda whose installation dockopt does not know: no fix',
      code: 'FROM debian:12\nRUN conda install -y numpy\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 2 }],
      output: null,
    },
    {
      name: "a non-root user on a root prefix (conda then uses ~/.conda/pkgs): no fix",
      code: 'FROM continuumio/miniconda3\nRUN useradd -u 1001 -m app\nUSER app\nRUN conda create -y -n app python\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 4 }],
      output: null,
    },
    {
      name: 'CONDA_PKGS_DIRS: its first entry',
      code: 'FROM continuumio/miniconda3\nENV CONDA_PKGS_DIRS=/var/cache/conda,/opt/conda/pkgs\nRUN ["conda", "install", "-y", "numpy"]\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/var/cache/conda' } }],
      output: 'FROM continuumio/miniconda3\nENV CONDA_PKGS_DIRS=/var/cache/conda,/opt/conda/pkgs\nRUN --mount=type=cache,target=/var/cache/conda,sharing=locked ["conda", "install", "-y", "numpy"]\n',
    },
    {
      name: 'pkgs_dirs set by conda config: no fix',
      code: 'FROM continuumio/miniconda3\nRUN conda config --add pkgs_dirs /data/pkgs\nRUN conda install -y numpy\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 3 }],
      output: null,
    },
    {
      name: 'soft links into the cache: the mount only offered',
      code: 'FROM continuumio/miniconda3\nRUN conda create -y --always-softlink -n app python\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
    {
      name: 'continuation lines, and rm of the cache contents goes',
      code: 'FROM continuumio/miniconda3\nRUN conda install -y \\\n      numpy \\\n      pandas && \\\n    rm -rf /opt/conda/pkgs/*\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM continuumio/miniconda3\nRUN ${MOUNT} conda install -y \\\n      numpy \\\n      pandas\n`,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM continuumio/miniconda3\nRUN conda install -y numpy && conda clean -afy\n' },
    { name: 'conda clean of other things', code: `FROM continuumio/miniconda3\nRUN ${MOUNT} conda install -y numpy && conda clean --logfiles --tempfiles -y\n` },
  ],
  invalid: [
    ...['-afy', '--all --yes', '-tipsy', '--tarballs -y', '-p -y', '--index-cache'].map((options) => ({
      name: `conda clean ${options} beside the mount`,
      code: `FROM continuumio/miniconda3\nRUN ${MOUNT} conda install -y numpy && conda clean ${options}\n`,
      errors: [{ messageId: 'mountWiped', line: 2, data: { manager: 'conda', target: '/opt/conda/pkgs' } }],
      output: `FROM continuumio/miniconda3\nRUN ${MOUNT} conda install -y numpy\n`,
    })),
    {
      name: 'micromamba clean --all',
      code: `FROM mambaorg/micromamba:2.0.5\nRUN ${MAMBAUSER} micromamba install -y -n base -f env.yaml && micromamba clean --all --yes\n`,
      errors: [{ messageId: 'mountWiped', line: 2, data: { manager: 'micromamba' } }],
      output: `FROM mambaorg/micromamba:2.0.5\nRUN ${MAMBAUSER} micromamba install -y -n base -f env.yaml\n`,
    },
    {
      name: 'rm of the mount point fails the build',
      code: `FROM continuumio/miniconda3\nRUN ${MOUNT} conda install -y numpy && rm -rf /opt/conda/pkgs\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 2 }],
      output: `FROM continuumio/miniconda3\nRUN ${MOUNT} conda install -y numpy\n`,
    },
  ],
});

test('the micromamba image runs as mambauser (uid 57439) from 1.5.0 on; older or git- tags stay unknown', () => {
  const user = { kind: 'user', user: { name: 'mambauser', uid: 57439, gid: 57439, home: '/home/mambauser' } };
  for (const image of ['mambaorg/micromamba', 'mambaorg/micromamba:latest', 'mambaorg/micromamba:1.5.0', 'mambaorg/micromamba:1.5.8-jammy', 'mambaorg/micromamba:2', 'mambaorg/micromamba:2.0.5-ubuntu24.04', 'docker.io/mambaorg/micromamba:bookworm-slim', 'mambaorg/micromamba:1']) {
    assert.deepEqual(imageDefaultUser(image), user, image);
  }
  for (const image of ['mambaorg/micromamba:1.4.2', 'mambaorg/micromamba:0.25.1', 'mambaorg/micromamba:git-abc1234', 'mambaorg/micromamba@sha256:0123']) {
    assert.deepEqual(imageDefaultUser(image), { kind: 'unknown' }, image);
  }
  assert.deepEqual(imageDefaultUser('continuumio/miniconda3:24.1.2-0'), { kind: 'root' });
  assert.deepEqual(imageDefaultUser('condaforge/miniforge3'), { kind: 'root' });
});
