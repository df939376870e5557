/** apt through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTextEdits } from '../../server/src/fixes/apply';
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { rule as pipCacheMount } from '../../server/src/rules/pip-cache-mount';
import { check, runRuleTests } from '../helpers/rule-tester';

const ARCHIVES = '--mount=type=cache,target=/var/cache/apt,sharing=locked';
const LISTS = '--mount=type=cache,target=/var/lib/apt/lists,sharing=locked';
const BOTH = `${ARCHIVES} ${LISTS}`;
const CLEAN = 'rm -f /etc/apt/apt.conf.d/docker-clean';
const KEEP = `echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache`;

runRuleTests(cacheMount, {
  valid: [
    { name: 'a mount on /var/lib/apt/lists caches the lists', code: `FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked ${CLEAN} && apt-get update && apt-get install -y curl\n` },
    { name: "Docker's reference mounts on all of /var/lib/apt count too", code: `FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked ${CLEAN} && apt-get update && apt-get install -y curl\n` },
    { name: 'both mounted, docker-clean removed', code: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl\n` },
    { name: 'mounts on the parents, docker-clean removed in an earlier RUN', code: `FROM debian:12\nRUN ${CLEAN}\nRUN --mount=type=cache,target=/var/cache --mount=type=cache,target=/var/lib apt-get update && apt-get install -y curl\n` },
    { name: 'mounts with an id and another sharing', code: `FROM ubuntu:24.04\nRUN --mount=type=cache,id=apt-a,target=/var/cache/apt,sharing=shared --mount=type=cache,id=apt-l,target=/var/lib/apt ${CLEAN} && apt update && apt-get install -y curl\n` },
    { name: 'an install without its own update needs only the archives mount', code: `FROM debian:12\nRUN apt-get update\nRUN ${ARCHIVES} ${CLEAN} && apt-get install -y curl\n` },
    { name: 'update, remove, apt-cache and echo are not installs', code: 'FROM debian:12\nRUN apt-get update && apt-get remove -y curl && apt-cache policy curl && echo apt-get install x\n' },
    { name: 'apt-get install as a non-root user without sudo fails anyway', code: 'FROM node:20\nUSER node\nRUN apt-get install -y curl\n' },
    { name: 'a Windows stage', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN apt-get install -y curl\n' },
  ],
  invalid: [
    {
      name: "hadolint's advice: both caches mounted, docker-clean removed first, the lists' rm gone",
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      errors: [{ messageId: 'mountMissing', line: 2, column: 23, endColumn: 38, data: { manager: 'apt', dirs: '/var/cache/apt (downloaded packages) and /var/lib/apt/lists (package lists)', flags: BOTH } }],
      output: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y --no-install-recommends curl\n`,
    },
    {
      name: 'apt-get clean goes too',
      code: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM ubuntu:24.04\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl\n`,
    },
    {
      name: 'no update in the RUN: the lists an earlier RUN left stay in the image, only the archives are mounted',
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/var/cache/apt (downloaded packages)', flags: ARCHIVES } }],
      output: `FROM debian:12\nRUN apt-get update\nRUN ${ARCHIVES} ${CLEAN} && apt-get install -y curl\n`,
    },
    {
      name: 'an install before the update in the same RUN reads the old lists: only the archives',
      code: 'FROM debian:12\nRUN apt-get install -y ca-certificates && apt-get update && apt-get install -y curl\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { flags: ARCHIVES } }],
      output: `FROM debian:12\nRUN ${ARCHIVES} ${CLEAN} && apt-get install -y ca-certificates && apt-get update && apt-get install -y curl\n`,
    },
    {
      name: 'a later RUN installs from the lists this one fetches: they stay in its layer',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n',
      errors: [
        { messageId: 'mountMissing', line: 2, data: { flags: ARCHIVES } },
        { messageId: 'mountMissing', line: 3, data: { flags: ARCHIVES } },
      ],
      output: `FROM debian:12\nRUN ${ARCHIVES} ${CLEAN} && apt-get update && apt-get install -y curl\nRUN ${ARCHIVES} ${CLEAN} && apt-get install -y git\n`,
    },
    {
      name: 'a later RUN that mounts the lists itself does not hold this one back',
      code: `FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN ${BOTH} apt-get install -y git\n`,
      errors: [{ messageId: 'mountMissing', line: 2, data: { flags: BOTH } }],
      output: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl\nRUN ${BOTH} apt-get install -y git\n`,
    },
    {
      name: 'the apt front end also needs its packages kept',
      code: 'FROM ubuntu:24.04\nRUN apt update && apt install -y curl\n',
      errors: [{ messageId: 'mountMissing', line: 2, column: 19, endColumn: 30 }],
      output: `FROM ubuntu:24.04\nRUN ${BOTH} ${CLEAN} && ${KEEP} && apt update && apt install -y curl\n`,
    },
    {
      name: 'docker-clean removed by an earlier RUN of the stage: no first command',
      code: `FROM debian:12 AS base\nRUN ${CLEAN}\nFROM base\nRUN apt-get update && apt-get install -y curl\n`,
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: `FROM debian:12 AS base\nRUN ${CLEAN}\nFROM base\nRUN ${BOTH} apt-get update && apt-get install -y curl\n`,
    },
    {
      name: 'sudo under a non-root user: the first commands go through sudo too',
      code: 'FROM node:20\nUSER node\nRUN sudo apt-get update && sudo apt install -y curl\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/var/cache/apt (downloaded packages) and /var/lib/apt/lists (package lists)' } }],
      output:
        `FROM node:20\nUSER node\nRUN ${BOTH} sudo ${CLEAN} && echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' | sudo tee /etc/apt/apt.conf.d/keep-cache > /dev/null && ` +
        'sudo apt-get update && sudo apt install -y curl\n',
    },
    {
      name: 'continuation lines are kept',
      code: 'FROM debian:12\nRUN apt-get update \\\n && DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n      curl \\\n      git \\\n && rm -rf /var/lib/apt/lists/*\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update \\\n && DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n      curl \\\n      git\n`,
    },
    {
      name: 'a mount elsewhere',
      code: `FROM debian:12\nRUN --mount=type=cache,target=/root/.cache ${CLEAN} && apt-get update && apt-get install -y curl\n`,
      errors: [{ messageId: 'mountElsewhere', line: 2, data: { targets: '/root/.cache' } }],
      output: `FROM debian:12\nRUN --mount=type=cache,target=/root/.cache ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl\n`,
    },
    {
      name: 'only the lists mounted: the archives mount is added',
      code: `FROM debian:12\nRUN ${LISTS} ${CLEAN} && apt-get update && apt-get install -y curl\n`,
      errors: [{ messageId: 'mountElsewhere', line: 2, data: { dirs: '/var/cache/apt (downloaded packages)', flags: ARCHIVES } }],
      output: `FROM debian:12\nRUN ${LISTS} ${ARCHIVES} ${CLEAN} && apt-get update && apt-get install -y curl\n`,
    },
    {
      name: 'exec form: the first command cannot go in, no fix',
      code: 'FROM debian:12\nRUN ["apt-get", "install", "-y", "curl"]\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
    {
      name: "-o Dir:: moves apt's directories: offered, not applied",
      code: 'FROM debian:12\nRUN apt-get update && apt-get -o Dir::Cache=/tmp/apt install -y curl\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-get clean\n' },
    { name: 'mounted, docker-clean removed', code: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl\n` },
    { name: 'apt-get autoclean keeps the current packages', code: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl && apt-get autoclean\n` },
    { name: 'the apt front end with its packages kept by an earlier RUN', code: `FROM ubuntu:24.04\nRUN ${CLEAN}; ${KEEP}\nRUN ${BOTH} apt update && apt install -y curl\n` },
  ],
  invalid: [
    {
      name: 'mounted while docker-clean still deletes the packages',
      code: `FROM debian:12\nRUN ${BOTH} apt-get update && apt-get install -y curl\n`,
      // Only the packages' mount is defeated: the message names it, not the lists' one.
      errors: [{ messageId: 'mountUnused', line: 2, data: { prelude: CLEAN, target: '/var/cache/apt' } }],
      output: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl\n`,
    },
    {
      name: 'the apt front end without Keep-Downloaded-Packages',
      code: `FROM ubuntu:24.04\nRUN ${ARCHIVES} ${CLEAN} && apt install -y curl\n`,
      errors: [{ messageId: 'mountUnused', line: 2, data: { prelude: KEEP } }],
      output: `FROM ubuntu:24.04\nRUN ${ARCHIVES} ${KEEP} && ${CLEAN} && apt install -y curl\n`,
    },
    {
      name: 'apt-get clean empties the mount',
      code: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl && apt-get clean\n`,
      errors: [{ messageId: 'mountWiped', line: 2, data: { wipes: '`apt-get clean`', manager: 'apt' } }],
      output: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl\n`,
    },
    {
      name: "rm of the lists empties the lists' mount",
      code: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n`,
      errors: [{ messageId: 'mountWiped', line: 2, data: { wipes: '`rm -rf /var/lib/apt/lists/*`' } }],
      output: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl\n`,
    },
    {
      name: 'rm -rf /var/cache/apt removes the mount point',
      code: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl; rm -rf /var/cache/apt\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 2 }],
      output: `FROM debian:12\nRUN ${BOTH} ${CLEAN} && apt-get update && apt-get install -y curl\n`,
    },
  ],
});

test("apt's and pip's mounts fixed in one pass (fix-all): both mounts before the first command, not after its &&", () => {
  const text = 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc && pip install psycopg\n';
  const preferred = [cacheMount, pipCacheMount].flatMap((rule) =>
    check(rule, text).flatMap((finding) => (finding.fixes.find((fix) => fix.isPreferred)?.changes ?? []).flatMap((change) => (change.kind === 'edit' ? change.edits : []))),
  );
  // cache-mount's edits first and pip-cache-mount's after, as fix-all collects them: the order that went wrong.
  assert.equal(
    applyTextEdits(text, preferred).text,
    `FROM python:3.12-slim\nRUN ${BOTH} --mount=type=cache,target=/root/.cache/pip ${CLEAN} && apt-get update && apt-get install -y gcc && pip install psycopg\n`,
  );
});
