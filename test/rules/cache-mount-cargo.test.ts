/** Cargo through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const REGISTRY = '--mount=type=cache,target=/usr/local/cargo/registry,sharing=locked';
const GIT = '--mount=type=cache,target=/usr/local/cargo/git/db,sharing=locked';
const BOTH = `${REGISTRY} ${GIT}`;

runRuleTests(cacheMount, {
  valid: [
    { name: 'registry and git/db mounted', code: `FROM rust:1.79\nRUN ${BOTH} cargo build --release\n` },
    { name: "Docker's Rust guide: registry, git/db and target, with other sharing", code: 'FROM rust:1.79\nRUN --mount=type=cache,target=/app/target/ --mount=type=cache,target=/usr/local/cargo/git/db --mount=type=cache,target=/usr/local/cargo/registry/ cargo build --locked --release && cp ./target/release/app /bin/app\n' },
    { name: 'the registry alone mounted: git/db is not asked for (only git dependencies use it)', code: 'FROM rust:1.79\nRUN --mount=type=cache,target=/usr/local/cargo/registry cargo build\n' },
    { name: 'a parent of both mounted', code: 'FROM rust:1.79\nENV CARGO_HOME=/cargo\nRUN --mount=type=cache,id=cargo,target=/cargo cargo fetch\n' },
    { name: 'CARGO_HOME from ENV, mounted there', code: 'FROM debian:12\nENV CARGO_HOME=/opt/cargo\nRUN --mount=type=cache,target=/opt/cargo/registry --mount=type=cache,target=/opt/cargo/git/db cargo build\n' },
    { name: '--offline and --frozen download nothing', code: 'FROM rust:1.79\nRUN cargo build --offline && cargo test --frozen && cargo --offline check\n' },
    { name: 'CARGO_NET_OFFLINE=true downloads nothing', code: 'FROM rust:1.79\nENV CARGO_NET_OFFLINE=true\nRUN cargo build\n' },
    { name: 'cargo commands that download nothing', code: 'FROM rust:1.79\nRUN cargo --version && cargo new app && cargo clean && cargo fmt && cargo chef prepare --recipe-path recipe.json\n' },
    { name: 'the word cargo elsewhere', code: 'FROM rust:1.79\nRUN echo cargo build && cp -r cargo /opt\n' },
  ],
  invalid: [
    {
      name: 'cargo build in the rust image: registry and git/db, locked',
      code: 'FROM rust:1.79 AS build\nWORKDIR /app\nCOPY . .\nRUN cargo build --release --locked\n',
      errors: [{ messageId: 'mountMissing', line: 4, column: 5, endColumn: 16, data: { manager: 'Cargo', dirs: '/usr/local/cargo/registry (crate registry) and /usr/local/cargo/git/db (git dependencies)', flags: BOTH } }],
      output: `FROM rust:1.79 AS build\nWORKDIR /app\nCOPY . .\nRUN ${BOTH} cargo build --release --locked\n`,
    },
    {
      name: 'outside the rust image: ~/.cargo, whatever the toolchain override',
      code: 'FROM debian:12\nRUN ~/.cargo/bin/cargo +nightly build -Z sparse-registry\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/root/.cargo/registry (crate registry) and /root/.cargo/git/db (git dependencies)' } }],
      output: 'FROM debian:12\nRUN --mount=type=cache,target=/root/.cargo/registry,sharing=locked --mount=type=cache,target=/root/.cargo/git/db,sharing=locked ~/.cargo/bin/cargo +nightly build -Z sparse-registry\n',
    },
    {
      name: 'CARGO_HOME on the call',
      code: 'FROM rust:1.79\nRUN CARGO_HOME=/ch cargo install ripgrep\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/ch/registry (crate registry) and /ch/git/db (git dependencies)' } }],
      output: 'FROM rust:1.79\nRUN --mount=type=cache,target=/ch/registry,sharing=locked --mount=type=cache,target=/ch/git/db,sharing=locked CARGO_HOME=/ch cargo install ripgrep\n',
    },
    {
      name: "cargo-chef's cook and the aliases count",
      code: 'FROM rust:1.79\nRUN cargo chef cook --release --recipe-path recipe.json && cargo b -r\n',
      errors: [{ messageId: 'mountMissing', line: 2, endColumn: 20 }],
      output: `FROM rust:1.79\nRUN ${BOTH} cargo chef cook --release --recipe-path recipe.json && cargo b -r\n`,
    },
    {
      name: 'git/db alone mounted: the registry is missing',
      code: `FROM rust:1.79\nRUN ${GIT} cargo fetch\n`,
      errors: [{ messageId: 'mountElsewhere', line: 2, data: { dirs: '/usr/local/cargo/registry (crate registry)', targets: '/usr/local/cargo/git/db' } }],
      output: `FROM rust:1.79\nRUN ${GIT} ${REGISTRY} cargo fetch\n`,
    },
    {
      name: 'a mount on target/ only',
      code: 'FROM rust:1.79\nRUN --mount=type=cache,target=/app/target cargo build && cp target/debug/app /app-bin\n',
      errors: [{ messageId: 'mountElsewhere', line: 2, data: { targets: '/app/target' } }],
      output: `FROM rust:1.79\nRUN --mount=type=cache,target=/app/target ${BOTH} cargo build && cp target/debug/app /app-bin\n`,
    },
    {
      name: 'a non-root user dockopt knows in the rust image: uid and gid',
      code: 'FROM rust:1.79\nRUN useradd -u 1001 -m app\nUSER app\nRUN cargo build\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/usr/local/cargo/registry (crate registry) (as app) and /usr/local/cargo/git/db (git dependencies) (as app)' } }],
      output: 'FROM rust:1.79\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked,uid=1001 --mount=type=cache,target=/usr/local/cargo/git/db,sharing=locked,uid=1001 cargo build\n',
    },
    {
      name: "the base image's own user: reported, not fixed by itself",
      code: 'FROM ghcr.io/example/rust-builder:1\nUSER builder\nRUN cargo build\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 3 }],
      output: null,
    },
    {
      name: 'exec form',
      code: 'FROM rust:1.79\nRUN ["cargo", "fetch"]\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM rust:1.79\nRUN ${BOTH} ["cargo", "fetch"]\n`,
    },
    {
      name: 'continuation lines and the registry wipe',
      code: 'FROM rust:1.79\nRUN cargo build --release \\\n    && rm -rf /usr/local/cargo/registry\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM rust:1.79\nRUN ${BOTH} cargo build --release\n`,
    },
    {
      name: 'cargo fetch for a later cargo build --offline: no fix by itself',
      code: 'FROM rust:1.79\nCOPY Cargo.toml Cargo.lock ./\nRUN cargo fetch\nCOPY . .\nRUN cargo build --offline --release\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: null,
    },
    {
      name: 'a later offline RUN with the same mounts: fixed',
      code: `FROM rust:1.79\nRUN cargo fetch\nRUN ${BOTH} cargo build --offline\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM rust:1.79\nRUN ${BOTH} cargo fetch\nRUN ${BOTH} cargo build --offline\n`,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM rust:1.79\nRUN cargo build && rm -rf /usr/local/cargo/registry\n' },
    { name: 'cargo clean removes target/, not the registry', code: `FROM rust:1.79\nRUN ${BOTH} cargo build && cargo clean\n` },
  ],
  invalid: [
    {
      name: 'rm -rf of the mounted registry fails the build',
      code: `FROM rust:1.79\nRUN ${BOTH} cargo build --release && rm -rf /usr/local/cargo/registry\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 2, data: { target: '/usr/local/cargo/registry' } }],
      output: `FROM rust:1.79\nRUN ${BOTH} cargo build --release\n`,
    },
    {
      name: "emptying the registry's contents with cargo-cache",
      code: `FROM rust:1.79\nRUN ${BOTH} cargo build --release && cargo cache --autoclean\n`,
      errors: [{ messageId: 'mountWiped', line: 2, data: { wipes: '`cargo cache --autoclean`' } }],
      output: `FROM rust:1.79\nRUN ${BOTH} cargo build --release\n`,
    },
  ],
});
