/** pnpm through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const ROOT_STORE = '--mount=type=cache,target=/root/.local/share/pnpm/store';
const GUIDE = 'FROM node:22-slim\nENV PNPM_HOME="/pnpm"\nENV PATH="$PNPM_HOME:$PATH"\nRUN corepack enable\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\n';

runRuleTests(cacheMount, {
  valid: [
    { name: "pnpm's Docker guide: PNPM_HOME=/pnpm, an id= mount on /pnpm/store", code: `${GUIDE}RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --prod --frozen-lockfile\n` },
    { name: 'the default store mounted', code: `FROM node:22\nWORKDIR /app\nRUN ${ROOT_STORE} pnpm install --frozen-lockfile\n` },
    { name: '--store-dir mounted (a mount above it counts: pnpm copies across the boundary)', code: 'FROM node:22\nWORKDIR /app\nRUN --mount=type=cache,target=/cache pnpm install --store-dir /cache/pnpm\n' },
    { name: 'ENV npm_config_store_dir mounted', code: 'FROM node:22\nENV NPM_CONFIG_STORE_DIR=/pnpm-store\nWORKDIR /app\nRUN --mount=type=cache,target=/pnpm-store pnpm i\n' },
    { name: 'pnpm run, exec, dlx and --offline do not download into the store', code: 'FROM node:22\nWORKDIR /app\nRUN pnpm run build && pnpm exec tsc && pnpm dlx cowsay hi && pnpm install --offline\n' },
    { name: 'the word pnpm elsewhere', code: 'FROM node:22\nRUN echo pnpm install\n' },
  ],
  invalid: [
    {
      name: 'pnpm install as root: the default store',
      code: 'FROM node:22\nWORKDIR /app\nRUN pnpm install --frozen-lockfile\n',
      errors: [{ messageId: 'mountMissing', line: 3, column: 5, endColumn: 17, data: { manager: 'pnpm', dirs: '/root/.local/share/pnpm/store (store)', flags: ROOT_STORE } }],
      output: `FROM node:22\nWORKDIR /app\nRUN ${ROOT_STORE} pnpm install --frozen-lockfile\n`,
    },
    {
      name: 'PNPM_HOME as in the guide',
      code: `${GUIDE}RUN pnpm install --prod --frozen-lockfile\n`,
      errors: [{ messageId: 'mountMissing', line: 7, data: { dirs: '/pnpm/store (store)' } }],
      output: `${GUIDE}RUN --mount=type=cache,target=/pnpm/store pnpm install --prod --frozen-lockfile\n`,
    },
    {
      name: 'XDG_DATA_HOME',
      code: 'FROM node:22\nENV XDG_DATA_HOME=/data\nWORKDIR /app\nRUN pnpm i\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/data/pnpm/store (store)' } }],
      output: 'FROM node:22\nENV XDG_DATA_HOME=/data\nWORKDIR /app\nRUN --mount=type=cache,target=/data/pnpm/store pnpm i\n',
    },
    {
      name: '--store-dir of the call, and npm_config_store_dir on it',
      code: 'FROM node:22\nWORKDIR /app\nRUN pnpm add --store-dir /s left-pad && npm_config_store_dir=/t pnpm fetch\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/s (store) and /t (store)' } }],
      output: 'FROM node:22\nWORKDIR /app\nRUN --mount=type=cache,target=/s --mount=type=cache,target=/t pnpm add --store-dir /s left-pad && npm_config_store_dir=/t pnpm fetch\n',
    },
    {
      name: 'pnpm config set store-dir in an earlier RUN',
      code: 'FROM node:22\nRUN npm i -g pnpm && pnpm config set store-dir /pnpm-store\nWORKDIR /app\nRUN pnpm install\n',
      errors: [
        { messageId: 'mountMissing', line: 4, data: { dirs: '/pnpm-store (store)' } },
      ],
      output: 'FROM node:22\nRUN npm i -g pnpm && pnpm config set store-dir /pnpm-store\nWORKDIR /app\nRUN --mount=type=cache,target=/pnpm-store pnpm install\n',
    },
    {
      name: 'USER node: reported, not fixed by itself (BuildKit would create ~/.local/share/pnpm owned by root, where pnpm also writes)',
      code: 'FROM node:22\nUSER node\nWORKDIR /home/node/app\nRUN pnpm install\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/home/node/.local/share/pnpm/store (store) (as node)' } }],
      output: null,
    },
    {
      name: 'a user without a known uid: offered, not applied',
      code: 'FROM node:22\nRUN useradd -m app\nUSER app\nWORKDIR /home/app\nRUN pnpm install\n',
      errors: [{ messageId: 'mountMissing', line: 5 }],
      output: null,
    },
    {
      name: "a mount on pnpm's home itself: pnpm cannot hard-link there and stores in /.pnpm-store",
      code: `${GUIDE}RUN --mount=type=cache,target=/pnpm pnpm install\n`,
      errors: [{ messageId: 'mountElsewhere', line: 7, data: { targets: '/pnpm', flags: '--mount=type=cache,target=/.pnpm-store' } }],
      output: `${GUIDE}RUN --mount=type=cache,target=/pnpm --mount=type=cache,target=/.pnpm-store pnpm install\n`,
    },
    {
      name: 'npm i -g pnpm, then pnpm install: the install is this rule\'s finding',
      code: 'FROM node:22\nWORKDIR /app\nRUN npm i -g pnpm && pnpm install\n',
      errors: [{ messageId: 'mountMissing', line: 3, column: 22, endColumn: 34 }],
      output: `FROM node:22\nWORKDIR /app\nRUN ${ROOT_STORE} npm i -g pnpm && pnpm install\n`,
    },
    {
      name: 'pnpm 6 installed by the Dockerfile keeps its store in ~/.pnpm-store',
      code: 'FROM node:16\nRUN npm i -g pnpm@6.35.1\nWORKDIR /app\nRUN pnpm install\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/root/.pnpm-store (store of pnpm < 7)' } }],
      output: 'FROM node:16\nRUN npm i -g pnpm@6.35.1\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.pnpm-store pnpm install\n',
    },
    {
      name: 'pnpm fetch for a later pnpm install --offline: the store must stay in the image, not applied',
      code: `${GUIDE}RUN pnpm fetch --prod\nCOPY . .\nRUN pnpm install -r --offline --prod\n`,
      errors: [{ messageId: 'mountMissing', line: 7 }],
      output: null,
    },
    {
      name: 'pnpm store prune goes with the mount',
      code: 'FROM node:22\nWORKDIR /app\nRUN pnpm install && pnpm store prune\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM node:22\nWORKDIR /app\nRUN ${ROOT_STORE} pnpm install\n`,
    },
    {
      name: 'exec form',
      code: 'FROM node:22\nWORKDIR /app\nRUN ["pnpm", "install"]\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: `FROM node:22\nWORKDIR /app\nRUN ${ROOT_STORE} ["pnpm", "install"]\n`,
    },
    {
      name: 'an unresolvable --store-dir and no mount: no fix',
      code: 'FROM node:22\nWORKDIR /app\nRUN pnpm install --store-dir $STORE\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 3, data: { via: '--store-dir', unresolved: '$STORE' } }],
      output: null,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM node:22\nWORKDIR /app\nRUN pnpm install && pnpm store prune\n' },
    { name: 'mounted, nothing wipes it', code: `FROM node:22\nWORKDIR /app\nRUN ${ROOT_STORE} pnpm install && pnpm store path\n` },
  ],
  invalid: [
    {
      name: 'pnpm store prune empties the mounted store (every file there has one link: pnpm copied them)',
      code: `${GUIDE}RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile && pnpm store prune\n`,
      errors: [{ messageId: 'mountWiped', line: 7, data: { wipes: '`pnpm store prune`', manager: 'pnpm', target: '/pnpm/store' } }],
      output: `${GUIDE}RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile\n`,
    },
    {
      name: 'rm -rf of the store removes the mount point',
      code: `FROM node:22\nWORKDIR /app\nRUN ${ROOT_STORE} pnpm install; rm -rf /root/.local/share/pnpm\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 3 }],
      output: `FROM node:22\nWORKDIR /app\nRUN ${ROOT_STORE} pnpm install\n`,
    },
  ],
});
