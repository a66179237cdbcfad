/**
 * Text to canvas: when the user moves the cursor in the text editor of a design that a designer shows, the
 * designer selects the node, edge or certificate under the cursor (a `reveal` message), once per element.
 */
import * as vscode from 'vscode';
import { isDesign, type DesignDiagnostics } from '../diagnostics.js';
import { elementAt } from './element-at.js';
import type { DesignerPanels } from './panels.js';

export function syncTextSelection(diagnostics: DesignDiagnostics, panels: DesignerPanels): vscode.Disposable {
  const last = new Map<string, string>();
  return vscode.Disposable.from(
    vscode.window.onDidChangeTextEditorSelection((e) => {
      // Only what the user does: a selection made by a command (revealInText) must not bounce back.
      if (e.kind !== vscode.TextEditorSelectionChangeKind.Keyboard && e.kind !== vscode.TextEditorSelectionChangeKind.Mouse) return;
      const doc = e.textEditor.document;
      if (!isDesign(doc)) return;
      const designers = panels.allFor(doc.uri).filter((d) => d.session.ready && d.panel.visible);
      if (designers.length === 0) return;
      const analysis = diagnostics.analysisOf(doc.uri);
      const text = doc.getText();
      if (!analysis || analysis.parsed.text !== text) return;
      const active = e.selections[0]?.active;
      if (!active) return;
      const target = elementAt(analysis.parsed.yaml, text, doc.offsetAt(active));
      const key = doc.uri.toString();
      const id = target ? `${target.kind}:${target.id}` : '';
      if (last.get(key) === id) return;
      last.set(key, id);
      if (!target) return;
      for (const d of designers) void d.session.post({ type: 'reveal', target });
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => last.delete(doc.uri.toString())),
  );
}
