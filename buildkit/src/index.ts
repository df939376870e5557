/**
 * The build runner's public surface, for the CLI and the VS Code client. The progress parsers and
 * step names are its own business: tests import them from their modules.
 */
export * from './model';
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
