/**
 * The rule contract, after ESLint's rule modules and typescript-eslint's `createRule`: a rule is
 * `meta` (id, default severity, docs, messages by id, whether it fixes, what it reads) and
 * `create(context)`, which returns visitors. The engine walks the Dockerfile once and calls each
 * rule's visitor for every instruction of that keyword (`RUN`, `COPY`, `FROM`, …), then
 * `'Dockerfile:exit'`; a rule reports with `context.report({ range, messageId, data, fixes })`.
 * The engine adds severity and suppressions and alone isolates a rule that throws.
 *
 * Messages live in `meta.messages` with `{{name}}` placeholders, so a test names the message it
 * expects (`messageId`) instead of matching prose, and the docs can list every message a rule has.
 */
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import type { ResolvedSettings } from '../settings';
import type { BuildContext } from '../workspace/build-context';
import { withLazyFixes, type Finding, type Fix, type Range, type Rule, type RuleId, type RuleMeta, type Severity } from './types';

/** What a rule reads: the Dockerfile alone, each build of it (its context), or a .dockerignore. */
export type RuleScope = 'dockerfile' | 'build' | 'dockerignore';

export interface RuleDefinitionMeta<MessageId extends string> {
  id: RuleId;
  defaultSeverity: Severity;
  docs: {
    /** A short imperative title: the client's groups in the preview and summaries. */
    title: string;
    /** One sentence, shown in docs, SARIF and the README's rule table. */
    description: string;
  };
  messages: Record<MessageId, string>;
  fixable: boolean;
  scope: RuleScope;
  /** The rule's options, each read from one setting, with the one default it has anywhere. */
  options?: Readonly<Record<string, RuleOption>>;
}

export interface RuleOption {
  /** Where the user sets it (`python.targetVersion` is `dockopt.python.targetVersion`). */
  setting: 'python.targetVersion';
  default: string;
  description: string;
}

/** Each option's value: what the setting says, else the option's default. */
export function optionValues(options: Readonly<Record<string, RuleOption>> | undefined, settings: ResolvedSettings): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, option] of Object.entries(options ?? {})) {
    values[name] = (option.setting === 'python.targetVersion' ? settings.python.targetVersion : undefined) ?? option.default;
  }
  return values;
}

export interface Report<MessageId extends string> {
  range: Range;
  messageId: MessageId;
  /** Values for the message's `{{name}}` placeholders. */
  data?: Readonly<Record<string, string | number>>;
  /**
   * A function: computed on first read (code actions, fix-all), never for diagnostics alone; only
   * for fixes that change the finding's own file, whose write refusal the engine knows without
   * computing them (fixes/writable-fixes.ts). An array: fixes that create or edit other files
   * (a .dockerignore from a Dockerfile finding), which the engine must read to withdraw those it
   * may not write and say why.
   */
  fixes?: Fix[] | (() => Fix[]);
  /** Real but small: reported at information severity (see Finding.minor). */
  minor?: boolean;
}

export interface RuleContext<MessageId extends string> {
  /** The Dockerfile's absolute path. */
  readonly path: string;
  readonly model: DockerfileModel;
  /** The build this run checks; undefined while the context is unknown (rules that need it stay silent). */
  readonly buildContext?: BuildContext;
  readonly settings: ResolvedSettings;
  /** The rule's options (meta.options), resolved from the settings. */
  readonly options: Readonly<Record<string, string>>;
  report(report: Report<MessageId>): void;
}

export type InstructionVisitor = (info: InstructionInfo) => void;

/** One visitor per instruction keyword (upper case), plus the end of the file. */
export interface DockerfileVisitors {
  [keyword: string]: InstructionVisitor | (() => void) | undefined;
  'Dockerfile:exit'?: () => void;
}

/** What a rule that also checks `.dockerignore` files is given for one of them. */
export interface DockerignoreRuleContext<MessageId extends string> {
  readonly path: string;
  readonly text: string;
  /** Every build (Dockerfile + context) of the workspace that could concern this file. */
  readonly builds: readonly BuildContext[];
  readonly settings: ResolvedSettings;
  /** `path` defaults to the .dockerignore's. */
  report(report: Report<MessageId> & { path?: string }): void;
}

export interface RuleDefinition<MessageId extends string> {
  meta: RuleDefinitionMeta<MessageId>;
  /** Visitors for the Dockerfile's instructions; omitted by a rule that checks only .dockerignore files. */
  create?(context: RuleContext<MessageId>): DockerfileVisitors;
  /** The .dockerignore hook: called once per .dockerignore file the workspace has. */
  dockerignore?(context: DockerignoreRuleContext<MessageId>): void;
}

/** A rule written on the contract: what the engine runs, with its messages kept for tests and docs. */
export interface ContractRule<MessageId extends string = string> extends Rule {
  messages: Record<MessageId, string>;
  /** meta.options: each option's setting and default. */
  options?: Readonly<Record<string, RuleOption>>;
  create(context: RuleContext<MessageId>): DockerfileVisitors;
  /** The .dockerignore hook as written (tests record its messageIds); the engine calls checkDockerignore. */
  dockerignore?(context: DockerignoreRuleContext<MessageId>): void;
}

export function createRule<MessageId extends string>(definition: RuleDefinition<MessageId>): ContractRule<MessageId> {
  const { meta } = definition;
  const ruleMeta: RuleMeta = {
    id: meta.id,
    defaultSeverity: meta.defaultSeverity,
    title: meta.docs.title,
    description: meta.docs.description,
    fixable: meta.fixable,
    perBuild: meta.scope === 'build',
  };
  const create = definition.create;
  const dockerignore = definition.dockerignore;
  return {
    meta: ruleMeta,
    messages: meta.messages,
    options: meta.options,
    create: create ?? (() => ({})),
    dockerignore,
    // Runs this rule alone (tests, and callers that check one rule): the same walk the engine does.
    checkDockerfile: create
      ? (input) => {
          const findings: Finding[] = [];
          walkDockerfile(input.model, create(contextFor({ meta: ruleMeta, messages: meta.messages, options: meta.options }, input, findings)));
          return findings;
        }
      : undefined,
    checkDockerignore: dockerignore
      ? (input) => {
          const findings: Finding[] = [];
          dockerignore({
            ...input,
            report({ path, range, messageId, data, fixes, minor }) {
              const finding = { ruleId: ruleMeta.id, path: path ?? input.path, range, message: formatMessage(meta.messages[messageId], data), ...(minor && { minor }) };
              findings.push(withReportedFixes(finding, fixes));
            },
          });
          return findings;
        }
      : undefined,
  };
}

/** The context a rule's `create` gets for one Dockerfile (and build); its reports land in `sink`. */
export function contextFor<MessageId extends string>(
  rule: { meta: { id: RuleId }; messages: Record<MessageId, string>; options?: Readonly<Record<string, RuleOption>> },
  input: { path: string; model: DockerfileModel; buildContext?: BuildContext; settings: ResolvedSettings },
  sink: Finding[],
): RuleContext<MessageId> {
  const { meta: { id }, messages } = rule;
  return {
    path: input.path,
    model: input.model,
    buildContext: input.buildContext,
    settings: input.settings,
    options: optionValues(rule.options, input.settings),
    report({ range, messageId, data, fixes, minor }) {
      const finding = { ruleId: id, path: input.path, range, message: formatMessage(messages[messageId], data), ...(minor && { minor }) };
      sink.push(withReportedFixes(finding, fixes));
    },
  };
}

/**
 * One walk over the instructions, calling the rule's visitor for each. The engine runs the whole
 * walk on the rule's work account (work-budget.ts: it isolates the rule, charges its budget) and
 * gives `beforeVisit`, which stops it at the editor's time limit before each visitor call.
 */
export function walkDockerfile(model: DockerfileModel, visitors: DockerfileVisitors, beforeVisit: () => void = () => {}): void {
  // By index: the list is a charged list (charged-list.ts), whose wrapped iterator costs more
  // than the visit of a cheap instruction; the engine's walk is not the rule's work.
  const instructions = model.instructions;
  for (let k = 0; k < instructions.length; k++) {
    const info = instructions[k];
    const visit = visitors[info.keyword] as InstructionVisitor | undefined;
    if (!visit) continue;
    beforeVisit();
    visit(info);
  }
  const exit = visitors['Dockerfile:exit'];
  if (exit) {
    beforeVisit();
    (exit as () => void)();
  }
}

/** The finding with the fixes a report gives: as they are when given as an array, else lazy. */
export function withReportedFixes(finding: Omit<Finding, 'fixes'>, fixes: Report<string>['fixes']): Finding {
  return Array.isArray(fixes) ? { ...finding, fixes } : withLazyFixes(finding, fixes ?? (() => []));
}

const PLACEHOLDER = /(\{\{\s*(\w+)\s*\}\})/;

/** A message split at its placeholders: text, placeholder, its name, text, placeholder, its name, …, text. */
const TEMPLATE_PARTS = new Map<string, string[]>();

function templateParts(template: string): string[] {
  let parts = TEMPLATE_PARTS.get(template);
  if (!parts) TEMPLATE_PARTS.set(template, (parts = template.split(PLACEHOLDER)));
  return parts;
}

/**
 * `{{name}}` replaced by `data.name`; a placeholder without data is a bug in the rule, and shows
 * as written. The templates are the rules' own few messages: each is split once (a dense file
 * formats thousands of findings).
 */
export function formatMessage(template: string, data?: Readonly<Record<string, string | number>>): string {
  if (!data) return template;
  const parts = templateParts(template);
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 3) out += (Object.hasOwn(data, parts[i + 1]) ? String(data[parts[i + 1]]) : parts[i]) + parts[i + 2];
  return out;
}
