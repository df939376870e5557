/**
 * The Dockerfile shape of issue 8, dense with findings (about one per three lines): after one
 * FROM, blocks of six lines, each a `COPY requirements-N.txt`, a pip RUN with `--no-cache-dir`
 * across a continuation, an `ENV`, an `npm ci && apk add` RUN and a `LABEL`. Deterministic, so
 * benchmarks and the scaling tests (test/scaling) read the same files.
 */
export function denseDockerfile(lines: number): string {
  const out = ['FROM python:3.12-slim'];
  for (let n = 0; out.length < lines; n++) {
    out.push(
      `COPY requirements-${n}.txt /app/`,
      `RUN pip install --no-cache-dir \\`,
      `    -r /app/requirements-${n}.txt`,
      `ENV STEP_${n}=${n}`,
      `RUN npm ci && apk add --no-cache curl`,
      `LABEL step="${n}"`,
    );
  }
  return `${out.slice(0, lines).join('\n')}\n`;
}
