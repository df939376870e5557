/** yarn through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const ROOT = '--mount=type=cache,target=/usr/local/share/.cache/yarn';
const NODE = '--mount=type=cache,target=/home/node/.cache/yarn,uid=1000,gid=1000';
const MANIFESTS = 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\n';

runRuleTests(cacheMount, {
  valid: [
    { name: "root's yarn 1 cache mounted", code: `${MANIFESTS}RUN ${ROOT} yarn install --frozen-lockfile\n` },
    { name: 'a mount on a parent, with an id and sharing', code: `${MANIFESTS}RUN --mount=type=cache,id=yarn,target=/usr/local/share/.cache,sharing=locked yarn\n` },
    { name: 'YARN_CACHE_FOLDER mounted', code: `FROM node:20\nENV YARN_CACHE_FOLDER=/yarn-cache\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN --mount=type=cache,target=/yarn-cache yarn install\n` },
    { name: '--cache-folder mounted', code: `${MANIFESTS}RUN --mount=type=cache,target=/c yarn install --cache-folder /c\n` },
    { name: 'yarn build, run, test, --version, --offline do not download', code: `${MANIFESTS}RUN yarn build && yarn run lint && yarn test && yarn --version && yarn install --offline\n` },
    { name: 'the word yarn elsewhere', code: 'FROM node:20\nRUN echo yarn install\n' },
  ],
  invalid: [
    {
      name: 'an exported YARN_CACHE_FOLDER is where yarn keeps its cache',
      code: `${MANIFESTS}RUN export YARN_CACHE_FOLDER=/yc && yarn install\n`,
      errors: [{ messageId: 'mountMissing', line: 4, data: { manager: 'yarn', dirs: '/yc' } }],
      output: `${MANIFESTS}RUN --mount=type=cache,target=/yc export YARN_CACHE_FOLDER=/yc && yarn install\n`,
    },
    {
      name: 'an exported YARN_CACHE_FOLDER dockopt cannot resolve ($(mktemp -d)): no fix, the default dir is not named',
      code: `${MANIFESTS}RUN export YARN_CACHE_FOLDER="$(mktemp -d)" && yarn install\n`,
      errors: [{ messageId: 'cacheDirUnresolved', line: 4, data: { manager: 'yarn', via: 'export YARN_CACHE_FOLDER' } }],
      output: null,
    },
    {
      name: "yarn install as root in the node image (yarn 1.22): /usr/local/share/.cache/yarn",
      code: `${MANIFESTS}RUN yarn install --frozen-lockfile\n`,
      errors: [{ messageId: 'mountMissing', line: 4, column: 5, endColumn: 17, data: { manager: 'yarn', dirs: '/usr/local/share/.cache/yarn', flags: ROOT } }],
      output: `${MANIFESTS}RUN ${ROOT} yarn install --frozen-lockfile\n`,
    },
    {
      name: 'a bare yarn installs; the finding is on its name',
      code: `${MANIFESTS}RUN yarn --frozen-lockfile --production\n`,
      errors: [{ messageId: 'mountMissing', line: 4, column: 5, endColumn: 9 }],
      output: `${MANIFESTS}RUN ${ROOT} yarn --frozen-lockfile --production\n`,
    },
    {
      name: 'USER node: ~/.cache/yarn with uid/gid',
      code: 'FROM node:20-alpine\nUSER node\nWORKDIR /home/node/app\nCOPY package.json yarn.lock ./\nRUN yarn add left-pad\n',
      errors: [{ messageId: 'mountMissing', line: 5, data: { dirs: '/home/node/.cache/yarn (as node)' } }],
      output: `FROM node:20-alpine\nUSER node\nWORKDIR /home/node/app\nCOPY package.json yarn.lock ./\nRUN ${NODE} yarn add left-pad\n`,
    },
    {
      name: 'XDG_CACHE_HOME, YARN_CACHE_FOLDER on the call, yarn config set cache-folder',
      code: `${MANIFESTS}ENV XDG_CACHE_HOME=/xdg\nRUN yarn install && YARN_CACHE_FOLDER=/y yarn global add serve\nRUN yarn config set cache-folder /z && yarn add x\n`,
      errors: [
        { messageId: 'mountMissing', line: 5, data: { dirs: '/xdg/yarn and /y' } },
        { messageId: 'mountMissing', line: 6, data: { dirs: '/z' } },
      ],
      output: `${MANIFESTS}ENV XDG_CACHE_HOME=/xdg\nRUN --mount=type=cache,target=/xdg/yarn --mount=type=cache,target=/y yarn install && YARN_CACHE_FOLDER=/y yarn global add serve\nRUN --mount=type=cache,target=/z yarn config set cache-folder /z && yarn add x\n`,
    },
    {
      name: 'yarn cache clean goes with the mount',
      code: `${MANIFESTS}RUN yarn install --frozen-lockfile && yarn cache clean\n`,
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: `${MANIFESTS}RUN ${ROOT} yarn install --frozen-lockfile\n`,
    },
    {
      name: 'continuation lines are kept',
      code: `${MANIFESTS}RUN yarn install \\\n      --frozen-lockfile \\\n  && yarn cache clean\n`,
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: `${MANIFESTS}RUN ${ROOT} yarn install \\\n      --frozen-lockfile\n`,
    },
    {
      name: 'exec form',
      code: `${MANIFESTS}RUN ["yarn", "install"]\n`,
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: `${MANIFESTS}RUN ${ROOT} ["yarn", "install"]\n`,
    },
    {
      name: 'npm i -g yarn installs yarn 1, also where the image has none (Node.js 26)',
      code: 'FROM node:26\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN npm i -g yarn && yarn install\n',
      errors: [{ messageId: 'mountMissing', line: 4, column: 22, endColumn: 34 }],
      output: `FROM node:26\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN ${ROOT} npm i -g yarn && yarn install\n`,
    },
    {
      name: 'COPY . . may bring a .yarnrc.yml with yarnPath: offered, not applied',
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install\n',
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: null,
    },
    {
      name: 'corepack enable: the version is package.json\'s, not applied',
      code: 'FROM node:20\nRUN corepack enable\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install\n',
      errors: [{ messageId: 'mountMissing', line: 5 }],
      output: null,
    },
    {
      name: 'an image dockopt knows no yarn of: not applied',
      code: 'FROM node:lts\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install\n',
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: null,
    },
    {
      name: 'Yarn 2+ (a COPY of .yarnrc.yml): the cache is where the project says, no fix',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nCOPY .yarn ./.yarn\nRUN yarn install --immutable\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 5, data: { manager: 'yarn', notes: " Mount it only if the project sets nodeLinker: node-modules: under Plug'n'Play the app loads its packages from that cache when it runs, so it must stay in the image." } }],
      output: null,
    },
    {
      name: 'yarn set version stable: Yarn 2+, no fix',
      code: 'FROM node:20\nWORKDIR /app\nRUN yarn set version stable\nCOPY package.json yarn.lock ./\nRUN yarn install\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 5 }],
      output: null,
    },
    {
      name: 'corepack prepare yarn@1: classic again',
      code: 'FROM node:20\nRUN corepack enable && corepack prepare yarn@1.22.22 --activate\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install\n',
      errors: [{ messageId: 'mountMissing', line: 5 }],
      output: `FROM node:20\nRUN corepack enable && corepack prepare yarn@1.22.22 --activate\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN ${ROOT} yarn install\n`,
    },
    {
      name: 'a cache a later yarn install --offline reads from the image: not applied',
      code: `${MANIFESTS}RUN yarn install --frozen-lockfile\nRUN yarn install --offline --production\n`,
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: null,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: `${MANIFESTS}RUN yarn install && yarn cache clean\n` },
    { name: 'mounted, nothing wipes it', code: `${MANIFESTS}RUN ${ROOT} yarn install && yarn cache list\n` },
  ],
  invalid: [
    {
      name: 'yarn cache clean empties the mount',
      code: `${MANIFESTS}RUN ${ROOT} yarn install --frozen-lockfile && yarn cache clean\n`,
      errors: [{ messageId: 'mountWiped', line: 4, data: { wipes: '`yarn cache clean`', manager: 'yarn', target: '/usr/local/share/.cache/yarn' } }],
      output: `${MANIFESTS}RUN ${ROOT} yarn install --frozen-lockfile\n`,
    },
    {
      name: 'rm -rf of the cache removes the mount point',
      code: `${MANIFESTS}RUN ${ROOT} yarn install && rm -rf /usr/local/share/.cache\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 4 }],
      output: `${MANIFESTS}RUN ${ROOT} yarn install\n`,
    },
  ],
});
