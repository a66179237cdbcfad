/**
 * The `state` message: what the canvas draws, computed from an analysis of the document text. No vscode import.
 */
import { SYNTAX_RULE_ID } from '../../document/parse.js';
import type { HostMessage } from '../../schemas/messages.js';
import type { AutoSave } from '../../model/saving.js';
import type { Analysis } from '../../validation/analyze.js';

export type StateMessage = Extract<HostMessage, { type: 'state' }>;

/** `autoSave`: VS Code's files.autoSave for the document (off when not given, as in VS Code's own default). */
export function stateMessage(analysis: Analysis, version: number, fileName: string, autoSave: AutoSave = 'off'): StateMessage {
  const parsed = analysis.parsed;
  return {
    type: 'state',
    version,
    fileName,
    design: parsed.design ?? null,
    findings: analysis.findings,
    syntaxError: analysis.findings.some((f) => f.ruleId === SYNTAX_RULE_ID),
    ...(analysis.certificateExpiry ? { certificateExpiry: { ...analysis.certificateExpiry } } : {}),
    autoSave,
  };
}
