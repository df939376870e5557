/**
 * The pathological inputs of issue 8 (item 5): files no one writes by hand, that a language
 * server must still answer quickly (every input up to 1 MB within 1 s of a change). Used by the
 * benchmark and by test/scaling, which proves the work on them is capped.
 */
export interface PathologicalInput {
  name: string;
  text: string;
}

/** About `bytes` of stages, each building on the previous one, with pip, npm, COPY and ENV. */
export function manyStages(bytes: number): string {
  const out = ['ARG BASE=python:3.12-slim', 'FROM ${BASE} AS s0'];
  let size = 0;
  for (let n = 1; size < bytes; n++) {
    const stage = [
      `FROM s${n - 1} AS s${n}`,
      `ENV STEP_${n}=${n}`,
      `COPY requirements-${n}.txt /app/`,
      `RUN pip install -r /app/requirements-${n}.txt`,
      `RUN npm ci && npm config set cache /tmp/npm-${n}`,
      `COPY . /app`,
    ].join('\n');
    out.push(stage);
    size += stage.length + 1;
  }
  return `${out.join('\n')}\n`;
}

/** One line of `bytes`: a RUN whose shell command never ends. */
export function singleLongLine(bytes: number): string {
  const words: string[] = ['FROM python:3.12', 'RUN pip install'];
  let line = 'RUN pip install';
  for (let n = 0; line.length < bytes; n++) line += ` pkg${n}==1.${n % 10} && echo ${n}`;
  words[1] = line;
  return `${words.join('\n')}\n`;
}

/** One RUN continued over `lines` lines. */
export function continuationLines(lines: number): string {
  const out = ['FROM python:3.12', 'RUN pip install \\'];
  for (let n = 0; n < lines; n++) out.push(`    pkg${n} \\`);
  out.push('    done');
  return `${out.join('\n')}\n`;
}

/** About `bytes` of exec-form RUNs (JSON arrays), some running `sh -c` scripts. */
export function execForm(bytes: number): string {
  const out = ['FROM node:20'];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const line = n % 2
      ? `RUN ["sh", "-c", "npm ci && pip install --no-cache-dir pkg${n} && echo ${n}"]`
      : `RUN ["npm", "install", "pkg${n}", "--prefer-offline", "--no-audit", "--loglevel=error"]`;
    out.push(line);
    size += line.length + 1;
  }
  return `${out.join('\n')}\n`;
}

export function pathologicalInputs(): PathologicalInput[] {
  return [
    { name: '320 KB, many stages', text: manyStages(320 * 1024) },
    { name: '1 MB single line', text: singleLongLine(1024 * 1024) },
    { name: '100 000 continuation lines', text: continuationLines(100_000) },
    { name: '250 KB exec form', text: execForm(250 * 1024) },
  ];
}
