/**
 * Reads BuildKit's vertex names: `[stage-0 4/6] RUN …`, `[builder 2/4] COPY …`,
 * `[linux/amd64 builder 2/4] RUN …`, `[2/5] WORKDIR /app` (single stage, newer BuildKit),
 * `[internal] load metadata …`, `[linux/arm64 internal] …`, `exporting to image`.
 */

/** What BuildKit's vertex name says: `[linux/amd64 builder 2/4] RUN make` or `[internal] load …`. */
export interface StepName {
  platform: string | null;
  /** `builder`, `stage-0`; null when BuildKit printed no stage (`[2/5] RUN …`) or for internal steps. */
  stage: string | null;
  /** 1-based position of the step in its stage (`2` in `2/4`). */
  index: number | null;
  count: number | null;
  /** The instruction text after the bracket (`RUN make`), or the whole name of an internal step. */
  text: string;
  /** Steps that are not a Dockerfile instruction: `[internal] load …`, `exporting to image`. */
  internal: boolean;
}

const BRACKETED = /^\[([^\]]*)\]\s*([\s\S]*)$/;
const POSITION = /^(\d+)\/(\d+)$/;

export function parseStepName(name: string): StepName {
  const m = BRACKETED.exec(name.trim());
  if (!m) return { platform: null, stage: null, index: null, count: null, text: name.trim(), internal: true };
  const tokens = m[1].trim().split(/\s+/).filter(Boolean);
  const position = tokens.length ? POSITION.exec(tokens[tokens.length - 1]) : null;
  if (position) tokens.pop();
  // Platforms have a slash (linux/arm/v7); stage names cannot.
  const platform = tokens.length && tokens[0].includes('/') ? tokens.shift()! : null;
  const stage = tokens.length ? tokens.join(' ') : null;
  if (!position) {
    // `[internal] load …`, `[auth] …`: BuildKit's own work, not an instruction.
    return { platform, stage: null, index: null, count: null, text: name.trim(), internal: true };
  }
  return {
    platform,
    stage,
    index: Number(position[1]),
    count: Number(position[2]),
    text: m[2].trim(),
    internal: false,
  };
}
