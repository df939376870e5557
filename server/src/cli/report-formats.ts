/**
 * How `dockopt check` prints findings: text for people, JSON for scripts, SARIF 2.1.0 for
 * code-scanning uploads. Ranges stay LSP ranges (0-based) in JSON; SARIF wants 1-based.
 */
import { relative, isAbsolute, sep } from 'node:path';
import type { ReportedFinding } from '../engine';
import { rules } from '../rules';
import { docsUrl, type Severity } from '../rules/types';

export type ReportFormat = 'text' | 'json' | 'sarif';

export interface JsonFinding {
  file: string;
  range: ReportedFinding['range'];
  code: string;
  severity: Severity;
  message: string;
  fixable: boolean;
}

/** Paths are shown relative to the working directory when they are below it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

export function isFixable(finding: ReportedFinding): boolean {
  return finding.fixes.some((fix) => fix.isPreferred);
}

export function toJson(findings: readonly ReportedFinding[], cwd: string): JsonFinding[] {
  return findings.map((f) => ({
    file: displayPath(f.path, cwd),
    range: f.range,
    code: f.ruleId,
    severity: f.severity,
    message: f.message,
    fixable: isFixable(f),
  }));
}

export function formatText(findings: readonly ReportedFinding[], cwd: string): string {
  if (findings.length === 0) return 'dockopt: no problems found.\n';
  const byFile = new Map<string, ReportedFinding[]>();
  for (const f of findings) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f]);
  let out = '';
  for (const [path, list] of byFile) {
    out += `${displayPath(path, cwd)}\n`;
    for (const f of list) {
      const where = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
      out += `  ${where.padEnd(7)} ${f.severity.padEnd(7)} ${f.message}  ${f.ruleId}\n`;
    }
    out += '\n';
  }
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const fixable = findings.filter(isFixable).length;
  const parts = (['error', 'warning', 'info', 'hint'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}${count(s) === 1 ? '' : 's'}`);
  out += `${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts.join(', ')})`;
  out += fixable > 0 ? `, ${fixable} fixable with \`dockopt fix\`.\n` : '.\n';
  return out;
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function toSarif(findings: readonly ReportedFinding[], cwd: string, version: string): object {
  const ruleIds = rules.map((r) => r.meta.id);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dockopt',
            version,
            informationUri: 'https://github.com/dockopt/dockopt',
            rules: rules.map((r) => ({
              id: r.meta.id,
              shortDescription: { text: r.meta.description },
              helpUri: docsUrl(r.meta.id),
              defaultConfiguration: { level: SARIF_LEVEL[r.meta.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: toFileUri(cwd.endsWith(sep) ? cwd : cwd + sep) } },
        results: findings.map((f) => {
          const file = displayPath(f.path, cwd);
          return {
            ruleId: f.ruleId,
            ruleIndex: ruleIds.indexOf(f.ruleId),
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: isAbsolute(file) ? { uri: toFileUri(file) } : { uri: encodeURI(file), uriBaseId: '%SRCROOT%' },
                  region: {
                    startLine: f.range.start.line + 1,
                    startColumn: f.range.start.character + 1,
                    endLine: f.range.end.line + 1,
                    endColumn: f.range.end.character + 1,
                  },
                },
              },
            ],
          };
        }),
      },
    ],
  };
}

function toFileUri(path: string): string {
  return `file://${encodeURI(path.split(sep).join('/'))}`;
}
