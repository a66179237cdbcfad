/**
 * Text to canvas: when the user moves the cursor in the text editor of a design that a designer shows, the
 * designer selects the node, edge or certificate under the cursor (a `reveal` message), once per element.
 */
import * as vscode from 'vscode';
import { isDesign, type DesignDiagnostics } from '../diagnostics.js';
import { errorMessage } from '../../model/error-message.js';
import type { DesignerPanels } from './panels.js';

export function syncTextSelection(diagnostics: DesignDiagnostics, panels: DesignerPanels, log: vscode.LogOutputChannel): vscode.Disposable {
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
      // A large design's YAML is read by the analysis worker, not parsed again here.
      void diagnostics.elementAt(analysis, doc.offsetAt(active)).then(
        (target) => {
          // The text changed while the worker looked: the cursor's next move asks again.
          if (doc.getText() !== text) return;
          const key = doc.uri.toString();
          const id = target ? `${target.kind}:${target.id}` : '';
          if (last.get(key) === id) return;
          last.set(key, id);
          if (!target) return;
          for (const d of designers) void d.session.post({ type: 'reveal', target });
        },
        (e: unknown) => log.error(`could not find the element at the cursor: ${errorMessage(e)}`),
      );
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => last.delete(doc.uri.toString())),
  );
}
