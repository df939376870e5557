/** One entry point over both progress formats, for callers that only know which one they asked for. */
import type { BuildProgress, ProgressFormat } from './model';
import { PlainProgressParser } from './plain-progress';
import { RawJsonProgressParser } from './rawjson-progress';

export interface ProgressParser {
  feed(chunk: string): void;
  pushLine(line: string): void;
  snapshot(): BuildProgress;
  end(): BuildProgress;
}

export function createProgressParser(format: ProgressFormat): ProgressParser {
  return format === 'rawjson' ? new RawJsonProgressParser() : new PlainProgressParser();
}
