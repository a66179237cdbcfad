/**
 * `gatewright validate --format sarif`: the findings as a SARIF 2.1.0 log (OASIS Static Analysis Results
 * Interchange Format), which GitHub code scanning, Azure DevOps and SARIF viewers read.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Finding, Severity } from '../schemas/finding.js';
import type { RuleInfo } from '../validation/rule.js';
import { PROGRAM, VERSION } from './version.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note' };

export function sarifRule(rule: RuleInfo): Sarif.ReportingDescriptor {
  const descriptor: Sarif.ReportingDescriptor = {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      category: rule.category,
      sourceTool: rule.source.tool,
      sourceRef: rule.source.ref,
      fixable: rule.fixable === true,
      tags: [rule.category],
    },
  };
  return rule.source.url ? { ...descriptor, helpUri: rule.source.url } : descriptor;
}

/**
 * The artifact's URI: relative to the current directory (with the %SRCROOT% base pointing there) when
 * the file is below it, an absolute file: URI otherwise.
 */
export function artifactLocation(file: string, cwd: string): Sarif.ArtifactLocation {
  const abs = resolve(cwd, file);
  const rel = relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

export interface SarifOptions {
  /** The design file as given on the command line. */
  readonly file: string;
  /** The directory URIs are made relative to. */
  readonly cwd: string;
  /** Every rule a finding can name (RULE_CATALOG). */
  readonly rules: readonly RuleInfo[];
}

export function toSarif(findings: readonly Finding[], options: SarifOptions): Sarif.Log {
  const rules = options.rules.map(sarifRule);
  const index = new Map(options.rules.map((r, i) => [r.id, i]));
  const artifact = artifactLocation(options.file, options.cwd);

  const results = findings.map((f): Sarif.Result => {
    const physicalLocation: Sarif.PhysicalLocation = { artifactLocation: artifact };
    if (f.location) {
      physicalLocation.region = {
        startLine: f.location.line,
        startColumn: f.location.column,
        endLine: f.location.endLine,
        endColumn: f.location.endColumn,
      };
    }
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation }],
    };
    const ruleIndex = index.get(f.ruleId);
    if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
    if (f.target.kind !== 'document') {
      const name = f.target.id ?? f.target.kind;
      result.locations = [{ physicalLocation, logicalLocations: [{ name, kind: f.target.kind }] }];
    }
    return result;
  });

  const run: Sarif.Run = {
    tool: { driver: { name: PROGRAM, version: VERSION, semanticVersion: VERSION, rules } },
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } },
    artifacts: [{ location: artifact }],
    columnKind: 'utf16CodeUnits',
    results,
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

export function formatSarif(findings: readonly Finding[], options: SarifOptions): string {
  return `${JSON.stringify(toSarif(findings, options), null, 2)}\n`;
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}
