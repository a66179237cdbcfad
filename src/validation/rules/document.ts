/** Findings made before any rule runs (YAML syntax, schema) or when a rule fails: described here for SARIF and docs. */
import type { RuleInfo } from '../rule.js';

export const DOCUMENT_RULES: readonly RuleInfo[] = [
  {
    id: 'GW000',
    name: 'internal-error',
    category: 'document',
    severity: 'error',
    title: 'A rule failed while checking the design',
    rationale: 'A validator that silently skips a rule would report a broken design as clean; the failure is reported instead.',
    source: { tool: 'Gatewright', ref: 'validator' },
  },
  {
    id: 'GW001',
    name: 'yaml-syntax',
    category: 'document',
    severity: 'error',
    title: 'The file is valid YAML',
    rationale: 'Nothing can be read from a file that does not parse; the canvas keeps its last good drawing until it does.',
    source: { tool: 'Gatewright', ref: 'YAML 1.2', url: 'https://yaml.org/spec/1.2.2/' },
  },
  {
    id: 'GW002',
    name: 'schema',
    category: 'document',
    severity: 'error',
    title: 'The design follows format v1',
    rationale: 'Every key, type and value is checked against the published schema so that typos in security settings are not ignored.',
    source: { tool: 'Gatewright', ref: 'design format v1' },
  },
];
