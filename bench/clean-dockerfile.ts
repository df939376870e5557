/**
 * A Dockerfile shape with no findings: one stage of ENV, LABEL, WORKDIR, EXPOSE and plain RUNs
 * (no package manager), to measure the cost of a file dockopt has nothing to say about.
 */
export function cleanDockerfile(lines: number): string {
  const out = ['FROM debian:bookworm-slim'];
  for (let n = 0; out.length < lines; n++) {
    out.push(`ENV STEP_${n}=${n}`, `LABEL step="${n}"`, `WORKDIR /srv/step-${n % 7}`, `RUN echo step ${n} > /tmp/step-${n % 5}`, `EXPOSE ${8000 + (n % 100)}`);
  }
  return `${out.slice(0, lines).join('\n')}\n`;
}
