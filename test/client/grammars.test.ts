/**
 * The grammars in syntaxes/, run by the same engine VS Code uses (vscode-textmate with the
 * Oniguruma regex library). The Dockerfile host grammar is a small stand-in for VS Code's
 * built-in `source.dockerfile`: like it, it scopes instruction keywords, comments and quoted
 * strings and leaves RUN arguments unscoped, which is what the injection builds on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const require = createRequire(import.meta.url);
const INJECTION_SCOPE = 'dockopt.cache-mount.injection';

const hostDockerfileGrammar = {
  scopeName: 'source.dockerfile',
  patterns: [
    { match: '^(\\s*)((#).*$\\n?)', captures: { 2: { name: 'comment.line.number-sign.dockerfile' } } },
    { match: '^\\s*(?i:(RUN|COPY|FROM|ENV|WORKDIR))\\s', captures: { 1: { name: 'keyword.other.special-method.dockerfile' } } },
    { begin: '"', end: '"', name: 'string.quoted.double.dockerfile' },
  ],
};

const registry = (async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const onigLib = Promise.resolve({
    createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
    createOnigString: (text: string) => new oniguruma.OnigString(text),
  });
  const files: Record<string, string> = {
    'source.dockerignore': 'syntaxes/dockerignore.tmLanguage.json',
    [INJECTION_SCOPE]: 'syntaxes/dockerfile-cache-mount.injection.json',
  };
  return new textmate.Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      if (scopeName === 'source.dockerfile') return textmate.parseRawGrammar(JSON.stringify(hostDockerfileGrammar), 'host.json');
      const file = files[scopeName];
      return file ? textmate.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => (scopeName === 'source.dockerfile' ? [INJECTION_SCOPE] : undefined),
  });
})();

type Token = { text: string; scopes: string[] };

async function tokenize(scopeName: string, text: string): Promise<Token[][]> {
  const grammar = await (await registry).loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} loads`);
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The scopes of the first token whose text is exactly `text` on the line. */
function scopesOf(line: Token[], text: string): string[] {
  const token = line.find((t) => t.text === text);
  assert.ok(token, `a token "${text}" in ${JSON.stringify(line.map((t) => t.text))}`);
  return token.scopes;
}

function hasScope(scopes: string[], prefix: string): boolean {
  return scopes.some((s) => s === prefix || s.startsWith(`${prefix}.`));
}

test('cache mount: the flag, each option key and its value get their own scopes', async () => {
  const [line] = await tokenize('source.dockerfile', 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt');
  assert.ok(hasScope(scopesOf(line, '--mount'), 'entity.other.attribute-name.flag.mount'));
  assert.ok(hasScope(scopesOf(line, 'cache'), 'support.constant.mount-type.cache'));
  assert.ok(hasScope(scopesOf(line, 'target'), 'variable.parameter.mount-option'));
  assert.ok(hasScope(scopesOf(line, '/root/.cache/pip'), 'string.unquoted.mount-value'));
  assert.ok(hasScope(scopesOf(line, ','), 'punctuation.separator.mount-option'));
});

test('cache mount: the command after the flag is not part of the mount', async () => {
  const [line] = await tokenize('source.dockerfile', 'RUN --mount=type=cache,target=/root/.npm npm ci');
  const after = line.find((t) => t.text.includes('npm ci'));
  assert.ok(after);
  assert.ok(!hasScope(after.scopes, 'meta.mount.cache'));
});

test('cache mount: type=cache after other options is still recognised', async () => {
  const [line] = await tokenize('source.dockerfile', 'RUN --mount=target=/root/.cache/pip,sharing=locked,type=cache pip install x');
  assert.ok(hasScope(scopesOf(line, '--mount'), 'entity.other.attribute-name.flag.mount'));
  assert.ok(hasScope(scopesOf(line, 'locked'), 'support.constant.mount-sharing'));
  assert.ok(hasScope(scopesOf(line, 'cache'), 'support.constant.mount-type.cache'));
});

test('cache mount: a continuation line holding the flag is highlighted too', async () => {
  const lines = await tokenize('source.dockerfile', 'RUN \\\n    --mount=type=cache,id=pip,target=/root/.cache/pip \\\n    pip install x');
  assert.ok(hasScope(scopesOf(lines[1], '--mount'), 'entity.other.attribute-name.flag.mount'));
  assert.ok(hasScope(scopesOf(lines[1], 'pip'), 'string.unquoted.mount-value'));
});

test('other mount types are left alone', async () => {
  const [line] = await tokenize('source.dockerfile', 'RUN --mount=type=bind,source=requirements.txt,target=/tmp/r.txt pip install -r /tmp/r.txt');
  assert.ok(line.every((t) => !hasScope(t.scopes, 'meta.mount.cache')));
});

test('type=cachefoo is not a cache mount', async () => {
  const [line] = await tokenize('source.dockerfile', 'RUN --mount=type=cachefoo,target=/x true');
  assert.ok(line.every((t) => !hasScope(t.scopes, 'meta.mount.cache')));
});

test('cache mounts in comments and quoted strings are not highlighted', async () => {
  const lines = await tokenize('source.dockerfile', '# RUN --mount=type=cache,target=/root/.cache/pip\nRUN echo "not a flag: --mount=type=cache,target=/x"');
  for (const line of lines) assert.ok(line.every((t) => !hasScope(t.scopes, 'meta.mount.cache')), JSON.stringify(line));
});

test('dockerignore: a # in column 0 is a comment', async () => {
  const [line] = await tokenize('source.dockerignore', '# build output');
  assert.ok(line.every((t) => hasScope(t.scopes, 'comment.line.number-sign')));
});

test('dockerignore: an indented # is a pattern, as Docker reads it', async () => {
  const [line] = await tokenize('source.dockerignore', '  #weird-name');
  assert.ok(line.every((t) => !hasScope(t.scopes, 'comment')));
  assert.ok(line.some((t) => t.text.includes('#weird-name') && hasScope(t.scopes, 'string.unquoted.pattern')));
});

test('dockerignore: ! marks an exception', async () => {
  const [line] = await tokenize('source.dockerignore', '!README.md');
  assert.ok(hasScope(scopesOf(line, '!'), 'keyword.operator.negation'));
  assert.ok(hasScope(scopesOf(line, 'README.md'), 'markup.inserted.exception'));
});

test('dockerignore: wildcards, globstars, classes and separators are scoped', async () => {
  const [line] = await tokenize('source.dockerignore', '**/[a-c]*.py?');
  assert.ok(hasScope(scopesOf(line, '**'), 'keyword.operator.glob.globstar'));
  assert.ok(hasScope(scopesOf(line, '/'), 'punctuation.separator.path'));
  assert.ok(hasScope(scopesOf(line, 'a-c'), 'constant.character.set'));
  assert.ok(hasScope(scopesOf(line, '*'), 'keyword.operator.glob.wildcard'));
  assert.ok(hasScope(scopesOf(line, '?'), 'keyword.operator.glob.wildcard'));
});
