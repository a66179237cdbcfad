/**
 * Quick fixes in the text editor: each finding under the cursor that has a rule's fix is offered as a code
 * action whose edit is the fix's operations turned into minimal text edits (the same path the designer takes).
 */
import * as vscode from 'vscode';
import { applyOperations } from '../../document/edits/index.js';
import { isDesign, type DesignDiagnostics } from '../diagnostics.js';
import { toReplacements } from '../designer/ranges.js';
import { fixesAt } from './fixes-at.js';

export class DesignQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  static register(diagnostics: DesignDiagnostics, log: vscode.LogOutputChannel): vscode.Disposable {
    return vscode.languages.registerCodeActionsProvider(
      { scheme: 'file', pattern: '**/*.gatewright.yaml' },
      new DesignQuickFixes(diagnostics, log),
      DesignQuickFixes.metadata,
    );
  }

  private constructor(
    private readonly diagnostics: DesignDiagnostics,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isDesign(document)) return [];
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const analysis = this.diagnostics.analysisOf(document.uri);
    const text = document.getText();
    // Fixes are computed against the text they were found in; a stale analysis offers nothing until it is redone.
    if (!analysis || analysis.parsed.text !== text) return [];
    const actions: vscode.CodeAction[] = [];
    for (const finding of fixesAt(analysis.findings, range)) {
      const result = applyOperations(text, finding.fix.operations);
      if (!result.ok) {
        this.log.debug(`quick fix "${finding.fix.title}" for ${finding.ruleId} cannot be applied: ${result.error}`);
        continue;
      }
      if (result.edits.length === 0) continue;
      const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      for (const r of toReplacements(result.edits, (offset) => document.positionAt(offset))) {
        action.edit.replace(document.uri, new vscode.Range(r.start, r.end), r.text);
      }
      action.diagnostics = context.diagnostics.filter((d) => d.source === 'gatewright' && d.message === finding.message && codeOf(d) === finding.ruleId);
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}
