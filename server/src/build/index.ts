/** The build runner's public surface, for the CLI and the VS Code client. */
export * from './model';
export { parseStepName } from './step-name';
export { PlainProgressParser, parsePlainProgress } from './plain-progress';
export { RawJsonProgressParser, parseRawJsonProgress } from './rawjson-progress';
export { createProgressParser, type ProgressParser } from './progress';
export { RawJsonEcho } from './rawjson-echo';
export * from './dockerfile-steps';
export * from './context-sources';
export * from './fingerprint';
export * from './cache-miss';
export * from './problems';
export * from './client';
export * from './runner';
export * from './history';
export * from './compare';
export * from './format';
export * from './build-service';
