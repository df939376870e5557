/**
 * The Python versions a project says it runs on, read from its own files in the build context:
 * Pipfile `[requires]`, pyproject `requires-python` and Poetry's `python` dependency, setup.cfg /
 * setup.py `python_requires`, `.python-version`, `runtime.txt`, and the versions tox and nox test.
 * python-base-version moves an image only to a version every one of them allows: moving past
 * them breaks the build (`pipenv install --deploy` aborts on another Python) or runs untested code.
 */
import { posix } from 'node:path';
import { allowsPep440, allowsPoetry, type Release } from './version-specifiers';

export interface PythonConstraint {
  /** The file it was read from, context-relative. */
  file: string;
  /** What it says, for messages: `python_version = "3.7"`, `requires-python = ">=3.8,<3.11"`. */
  says: string;
  /** Whether it allows a version; undefined when dockopt cannot read the specifier. */
  allows?: (version: Release) => boolean;
}

/** Reads a file of the build context (context-relative path); undefined when absent. */
export type ReadContextFile = (relPath: string) => string | undefined;

/** The constraints found in one folder of the context ('' is its root), each file read once. */
export function readFolderConstraints(read: ReadContextFile, folder: string): PythonConstraint[] {
  const found: PythonConstraint[] = [];
  for (const [name, reader] of READERS) {
    const file = folder === '' ? name : posix.join(folder, name);
    let text: string | undefined;
    try {
      text = read(file);
    } catch {
      text = undefined; // an unreadable file says nothing
    }
    if (text !== undefined) found.push(...reader(text, file));
  }
  return found;
}

type Reader = (text: string, file: string) => PythonConstraint[];

const READERS: ReadonlyArray<[string, Reader]> = [
  ['Pipfile', readPipfile],
  ['pyproject.toml', readPyproject],
  ['setup.cfg', readSetupCfg],
  ['setup.py', readSetupPy],
  ['.python-version', readPythonVersionFile],
  ['runtime.txt', readRuntimeTxt],
  ['tox.ini', readToxIni],
  ['noxfile.py', readNoxfile],
];

// ---- TOML (just enough: section headers and `key = "string"` lines) ---------------------------

/** `key = "value"` pairs of a TOML file with the table each sits in; strings only. */
function tomlStrings(text: string): Array<{ table: string; key: string; value: string }> {
  const out: Array<{ table: string; key: string; value: string }> = [];
  let table = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
    if (header) {
      table = header[1].replace(/\s*\.\s*/g, '.').replace(/["']/g, '');
      continue;
    }
    const pair = /^("?)([\w.-]+)\1\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(#.*)?$/.exec(line);
    if (pair) out.push({ table, key: pair[2], value: pair[3] ?? pair[4] });
  }
  return out;
}

/** A version written as `major.minor` or longer: the minor line it names. */
function minorLine(text: string): Release | undefined {
  const match = /^(\d+)\.(\d+)/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const samePrefix = (prefix: Release) => (version: Release) => prefix.every((part, i) => (version[i] ?? 0) === part);

function readPipfile(text: string, file: string): PythonConstraint[] {
  const out: PythonConstraint[] = [];
  for (const { table, key, value } of tomlStrings(text)) {
    if (table !== 'requires') continue;
    if (key === 'python_version') {
      // pipenv compares it with the interpreter's major.minor.
      const line = /^\d+\.\d+$/.test(value.trim()) ? minorLine(value) : undefined;
      out.push({ file, says: `python_version = "${value}"`, allows: line && samePrefix(line) });
    } else if (key === 'python_full_version') {
      const exact = /^\d+\.\d+\.\d+$/.test(value.trim()) ? value.trim().split('.').map(Number) : undefined;
      out.push({ file, says: `python_full_version = "${value}"`, allows: exact && samePrefix(exact) });
    }
  }
  return out;
}

function readPyproject(text: string, file: string): PythonConstraint[] {
  const out: PythonConstraint[] = [];
  for (const { table, key, value } of tomlStrings(text)) {
    if (table === 'project' && key === 'requires-python') {
      out.push({ file, says: `requires-python = "${value}"`, allows: allowsPep440(value) });
    } else if (table === 'tool.poetry.dependencies' && key === 'python') {
      out.push({ file, says: `[tool.poetry.dependencies] python = "${value}"`, allows: allowsPoetry(value) });
    }
  }
  return out;
}

function readSetupCfg(text: string, file: string): PythonConstraint[] {
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]/.exec(raw);
    if (header) {
      section = header[1].trim();
      continue;
    }
    const pair = /^\s*python_requires\s*[=:]\s*(.*?)\s*$/.exec(raw);
    if (pair && section === 'options') return [{ file, says: `python_requires = ${pair[1]}`, allows: allowsPep440(pair[1]) }];
  }
  return [];
}

function readSetupPy(text: string, file: string): PythonConstraint[] {
  const match = /\bpython_requires\s*=\s*(?:(["'])(.*?)\1|(\S[^,)\n]*))/.exec(text);
  if (!match) return [];
  if (match[2] === undefined) {
    // A variable or an expression: the project has a constraint dockopt cannot read.
    return [{ file, says: `python_requires=${match[3].trim()}` }];
  }
  return [{ file, says: `python_requires="${match[2]}"`, allows: allowsPep440(match[2]) }];
}

/** pyenv's and uv's file: one version per line; the minor lines it names (`3.11.4` → 3.11). */
function readPythonVersionFile(text: string, file: string): PythonConstraint[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
  const minors = lines.flatMap((l) => {
    const line = minorLine(l.replace(/^(cpython-|python)/, ''));
    return line ? [line] : [];
  });
  if (minors.length === 0) return []; // `system`, `pypy3.9`…: nothing about CPython images
  return [{ file, says: lines.join(', '), allows: (v) => minors.some((m) => samePrefix(m)(v)) }];
}

/** Heroku's `python-3.11.4`: the minor line it names. */
function readRuntimeTxt(text: string, file: string): PythonConstraint[] {
  const value = text.trim();
  const line = /^python-/.test(value) ? minorLine(value.slice('python-'.length)) : undefined;
  return line ? [{ file, says: value, allows: samePrefix(line) }] : [];
}

/** tox's `envlist`: the `pyXY` factors of its environments are the versions the project tests. */
function readToxIni(text: string, file: string): PythonConstraint[] {
  const lines = text.split(/\r?\n/);
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\]]+)\]/.exec(lines[i]);
    if (header) {
      section = header[1].trim();
      continue;
    }
    const start = /^envlist\s*=\s*(.*)$/.exec(lines[i]);
    if (!start || section !== 'tox') continue;
    let value = start[1];
    while (i + 1 < lines.length && /^[ \t]+\S/.test(lines[i + 1])) value += `,${lines[++i].trim()}`;
    const minors = envNames(value.replace(/#.*/g, ''))
      .flatMap(expandBraces)
      .flatMap((env) => env.split('-'))
      .flatMap((factor) => {
        const match = /^py(\d)(\d+)$/.exec(factor.trim());
        return match ? [[Number(match[1]), Number(match[2])]] : [];
      });
    if (minors.length === 0) return [];
    return [{ file, says: `envlist = ${value.trim()}`, allows: (v) => minors.some((m) => samePrefix(m)(v)) }];
  }
  return [];
}

/** Splits a tox envlist at the commas (and whitespace) outside braces. */
function envNames(text: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || /\s/.test(ch))) {
      if (current) names.push(current);
      current = '';
    } else current += ch;
  }
  if (current) names.push(current);
  return names;
}

/** `py{38,39}-django{32,42}` → every combination (tox's generative names). */
function expandBraces(name: string): string[] {
  const match = /\{([^{}]*)\}/.exec(name);
  if (!match) return [name];
  const before = name.slice(0, match.index);
  const after = name.slice(match.index + match[0].length);
  return match[1].split(',').flatMap((alt) => expandBraces(`${before}${alt.trim()}${after}`));
}

/** nox sessions' literal `python=` versions (a list or one string). */
function readNoxfile(text: string, file: string): PythonConstraint[] {
  const minors: Release[] = [];
  const pattern = /\bpython\s*=\s*(\[[^\]]*\]|"[^"]*"|'[^']*')/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    for (const version of match[1].matchAll(/["'](\d+\.\d+)(?:\.\d+)?["']/g)) {
      const line = minorLine(version[1]);
      if (line) minors.push(line);
    }
  }
  if (minors.length === 0) return []; // versions in a variable, or none: nothing dockopt can read
  const listed = [...new Set(minors.map((m) => m.join('.')))].join(', ');
  return [{ file, says: `sessions on Python ${listed}`, allows: (v) => minors.some((m) => samePrefix(m)(v)) }];
}
