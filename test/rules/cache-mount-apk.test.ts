/** apk through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/var/cache/apk,sharing=locked';
const LINK = 'ln -sfn /var/cache/apk /etc/apk/cache';

runRuleTests(cacheMount, {
  valid: [
    { name: 'mounted and linked', code: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add -U curl\n` },
    { name: 'a mount on /etc/apk/cache (apk caches there itself)', code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/etc/apk/cache apk add -U curl\n' },
    { name: 'a mount on a parent of /var/cache/apk', code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache apk add -U curl\n' },
    { name: 'a mount with an id and other sharing', code: 'FROM alpine:3.20\nRUN --mount=type=cache,id=apk,target=/var/cache/apk,sharing=shared apk add -U curl\n' },
    { name: 'apk info, del, update are not installs', code: 'FROM alpine:3.20\nRUN apk update && apk info && apk del curl\n' },
    { name: 'the word apk elsewhere', code: 'FROM alpine:3.20\nRUN echo apk add curl\n' },
    { name: 'a Windows stage', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN apk add curl\n' },
    { name: '--cache-dir mounted', code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/cache apk add --cache-dir /cache -U curl\n' },
  ],
  invalid: [
    {
      name: 'a base image that runs apk again ONBUILD: reported, not fixed by itself (the link would stay)',
      code: 'FROM alpine:3.20\nRUN apk update && apk upgrade\nONBUILD RUN apk update && apk upgrade\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
    {
      name: 'apk add --no-cache: mounted, linked, and --no-cache becomes --update-cache',
      code: 'FROM alpine:3.20\nRUN apk add --no-cache curl git\n',
      errors: [{ messageId: 'mountMissing', line: 2, column: 5, endColumn: 12, data: { manager: 'apk', dirs: '/var/cache/apk', flags: MOUNT } }],
      output: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add --update-cache curl git\n`,
    },
    {
      name: 'apk add after apk update in the same RUN keeps its options',
      code: 'FROM alpine:3.20\nRUN apk update && apk add curl\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk update && apk add curl\n`,
    },
    {
      name: 'apk add alone gets --update-cache (the indexes the image had are under the mount now)',
      code: 'FROM alpine:3.20\nRUN apk add curl\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add --update-cache curl\n`,
    },
    {
      name: 'no link again when an earlier RUN of the stage made it',
      code: `FROM alpine:3.20\nRUN ${LINK}\nRUN apk add -U curl\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM alpine:3.20\nRUN ${LINK}\nRUN ${MOUNT} apk add -U curl\n`,
    },
    {
      name: 'a cache wipe goes with it',
      code: 'FROM alpine:3.20\nRUN apk add -U curl && rm -rf /var/cache/apk/*\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add -U curl\n`,
    },
    {
      name: 'continuation lines are kept',
      code: 'FROM alpine:3.20\nRUN apk add --no-cache \\\n      curl \\\n      git\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add --update-cache \\\n      curl \\\n      git\n`,
    },
    {
      name: 'a mount elsewhere',
      code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache apk add -U curl\n',
      errors: [{ messageId: 'mountElsewhere', line: 2, data: { targets: '/root/.cache' } }],
      output: `FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache ${MOUNT} ${LINK} && apk add -U curl\n`,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n' },
    { name: 'mounted, linked, cache on', code: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add -U curl\n` },
    { name: 'an rm of other files', code: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add -U curl && rm -rf /tmp/*\n` },
  ],
  invalid: [
    {
      name: '--no-cache beside the mount: replaced by --update-cache, and the link added',
      code: `FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add --no-cache jq\n`,
      errors: [
        { messageId: 'cacheSwitchedOff', line: 2, column: 54, endColumn: 64, data: { switch: '--no-cache', manager: 'apk', target: '/var/cache/apk' } },
        { messageId: 'mountUnused', line: 2 },
      ],
      output: `FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk ${LINK} && apk add --update-cache jq\n`,
    },
    {
      name: 'apk cache clean empties the mount',
      code: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add -U jq && apk cache clean\n`,
      errors: [{ messageId: 'mountWiped', line: 2, data: { wipes: '`apk cache clean`' } }],
      output: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add -U jq\n`,
    },
    {
      name: 'rm -rf /var/cache/apk removes the mount point',
      code: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add -U jq; rm -rf /var/cache/apk\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 2 }],
      output: `FROM alpine:3.20\nRUN ${MOUNT} ${LINK} && apk add -U jq\n`,
    },
  ],
});
