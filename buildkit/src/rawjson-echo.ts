/**
 * Turns `--progress=rawjson` lines back into text a person reads in a terminal, in the shape
 * of `--progress=plain` (`#3 [2/5] RUN …`, its log lines, `#3 DONE 1.2s`): rawjson is for
 * the parser, not for the user watching the build.
 */
interface EchoVertex {
  number: number;
  started: boolean;
  done: boolean;
}

/** One line of `--progress=rawjson`, as far as it is read here: BuildKit's SolveStatus, fields unchecked. */
interface RawJsonStatus { vertexes?: unknown; logs?: unknown }
interface RawVertex { digest?: unknown; name?: string; started?: string; completed?: string; cached?: boolean; error?: string }
interface RawLog { vertex?: unknown; data?: unknown }

export class RawJsonEcho {
  private readonly vertices = new Map<string, EchoVertex>();
  private next = 1;

  /** The text to show for one line of rawjson output ('' when it changes nothing visible). */
  line(line: string): string {
    const trimmed = line.trim();
    if (trimmed === '') return '';
    let status: RawJsonStatus | null;
    try {
      status = trimmed.startsWith('{') ? JSON.parse(trimmed) : null;
    } catch {
      status = null;
    }
    if (!status || typeof status !== 'object') return `${line}\n`;
    let out = '';
    for (const v of (Array.isArray(status.vertexes) ? status.vertexes : []) as Array<RawVertex | null>) {
      if (!v || typeof v.digest !== 'string') continue;
      let seen = this.vertices.get(v.digest);
      if (!seen) {
        seen = { number: this.next++, started: false, done: false };
        this.vertices.set(v.digest, seen);
      }
      if (!seen.started && (v.started || v.completed || v.cached)) {
        seen.started = true;
        out += `#${seen.number} ${v.name ?? v.digest}\n`;
      }
      if (seen.done) continue;
      if (v.error) {
        seen.done = true;
        out += /context canceled/i.test(v.error) ? `#${seen.number} CANCELED\n` : `#${seen.number} ERROR: ${v.error}\n`;
      } else if (v.completed) {
        seen.done = true;
        const ms = Date.parse(v.completed) - Date.parse(v.started ?? v.completed);
        out += v.cached ? `#${seen.number} CACHED\n` : `#${seen.number} DONE ${(Math.max(0, ms) / 1000).toFixed(1)}s\n`;
      }
    }
    for (const l of (Array.isArray(status.logs) ? status.logs : []) as Array<RawLog | null>) {
      if (!l || typeof l.vertex !== 'string' || typeof l.data !== 'string') continue;
      const seen = this.vertices.get(l.vertex);
      if (!seen) continue;
      for (const text of Buffer.from(l.data, 'base64').toString('utf8').split(/\r?\n/)) {
        if (text !== '') out += `#${seen.number} ${text}\n`;
      }
    }
    return out;
  }
}
