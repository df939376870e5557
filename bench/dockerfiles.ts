/**
 * Benchmark inputs made of real-world Dockerfile content: the example workspace's Dockerfiles
 * and the test fixtures, concatenated to the wanted length (deterministic).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

function pieces(): string[] {
  const out: string[] = [];
  const services = join(ROOT, 'examples', 'ha-ingestor', 'services');
  for (const name of readdirSync(services).sort()) out.push(readFileSync(join(services, name, 'Dockerfile'), 'utf8'));
  const fixtures = join(ROOT, 'test', 'fixtures', 'dockerfiles');
  for (const name of readdirSync(fixtures).sort()) {
    const text = readFileSync(join(fixtures, name), 'utf8');
    // One file has one escape directive and one line ending: leave out the fixtures that differ.
    if (!text.includes('\r') && !/^# *(escape|syntax)/m.test(text)) out.push(text);
  }
  return out;
}

/** A Dockerfile of exactly `lines` lines. */
export function realWorldDockerfile(lines: number): string {
  const parts = pieces();
  const out: string[] = [];
  for (let k = 0; out.length < lines; k++) out.push(...parts[k % parts.length].split('\n'));
  return `${out.slice(0, lines).join('\n')}\n`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
