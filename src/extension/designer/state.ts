/**
 * The `state` message: what the canvas draws, computed from an analysis of the document text. No vscode import.
 */
import { SYNTAX_RULE_ID } from '../../document/parse.js';
import type { HostMessage } from '../../schemas/messages.js';
import type { Analysis } from '../../validation/analyze.js';

export type StateMessage = Extract<HostMessage, { type: 'state' }>;

export function stateMessage(analysis: Analysis, version: number, fileName: string): StateMessage {
  const parsed = analysis.parsed;
  return {
    type: 'state',
    version,
    fileName,
    design: parsed.design ?? null,
    findings: analysis.findings,
    syntaxError: analysis.findings.some((f) => f.ruleId === SYNTAX_RULE_ID),
    ...(analysis.certificateExpiry ? { certificateExpiry: { ...analysis.certificateExpiry } } : {}),
  };
}
