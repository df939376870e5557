/**
 * A Dockerfile that installs with every package manager of the cache rules, in blocks of
 * twelve lines (an ENV, a COPY, then a RUN per manager, some of them already mounted with their
 * cache switched off), repeated to the length asked. Deterministic, for the scaling tests and
 * benchmarks of the cache rules.
 */
const BLOCK = (n: number) => [
  `ENV STEP_${n}=${n}`,
  `COPY manifest-${n}.txt /app/`,
  'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
  'RUN apk add --no-cache git',
  'RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-cache',
  'RUN yarn install --frozen-lockfile && yarn cache clean',
  'RUN pnpm install --frozen-lockfile',
  'RUN poetry install --no-root',
  'RUN conda install -y numpy && conda clean -afy',
  'RUN go mod download && go build ./...',
  'RUN cargo build --release',
  'RUN mvn -B package && ./gradlew build',
];

export function managersDockerfile(lines: number): string {
  const out = ['FROM python:3.12-slim'];
  for (let n = 0; out.length < lines; n++) out.push(...BLOCK(n));
  return `${out.slice(0, lines).join('\n')}\n`;
}
