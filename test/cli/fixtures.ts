/** Design files for the command-line tests: the reference, and malformed variants of it as real YAML text. */
import { append, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';

export interface Malformed {
  readonly text: string;
  /** A rule id the file must be reported under. */
  readonly ruleId: string;
  /** A piece of the line the finding must point at. */
  readonly lineHas: string;
  /** The finding may come on a later line (a YAML parser notices a missing bracket where the text goes on). */
  readonly orLater?: boolean;
}

export const MALFORMED: Record<string, Malformed> = {
  'bad YAML': {
    text: REFERENCE.replace('    type: apiManagement\n', '    type: [apiManagement\n'),
    ruleId: 'GW001',
    lineHas: 'type: [apiManagement',
    orLater: true,
  },
  'a wrong type': {
    text: mutateReference((doc) => setAt(doc, ['nodes', 'kv', 'properties', 'purgeProtection'], 'yes')),
    ruleId: 'GW002',
    lineHas: 'purgeProtection: yes',
  },
  'an unknown node type': {
    text: mutateReference((doc) => setAt(doc, ['nodes', 'sentinel', 'type'], 'siemThing')),
    ruleId: 'GW002',
    lineHas: 'type: siemThing',
  },
  'a dangling edge': {
    text: mutateReference((doc) => append(doc, 'edges', { from: 'apim', to: 'nowhere', type: 'diagnostics' })),
    ruleId: 'GW011',
    lineHas: 'nowhere',
  },
  'a duplicate node id': {
    text: mutateReference((doc) => append(doc, 'nodes', { id: 'kv', type: 'keyVault' })),
    ruleId: 'GW010',
    lineHas: 'id: kv',
  },
};

/** 1-based line numbers of the lines containing `needle`. */
export function linesWith(text: string, needle: string): number[] {
  return text.split('\n').flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
}

/** The line a finding must point at (the last line containing `lineHas`). */
export function expectedLine(m: Malformed): number {
  const lines = linesWith(m.text, m.lineHas);
  if (lines.length === 0) throw new Error(`no line contains ${m.lineHas}`);
  return lines[lines.length - 1]!;
}

export function pointsRight(m: Malformed, line: number): boolean {
  return m.orLater ? line >= expectedLine(m) : line === expectedLine(m);
}
