/** The open designer panels, so that commands (export, generate, open as text) find the one they act on. */
import * as vscode from 'vscode';
import type { DesignerSession } from './session.js';

export interface OpenDesigner {
  readonly document: vscode.TextDocument;
  readonly panel: vscode.WebviewPanel;
  readonly session: DesignerSession;
}

export class DesignerPanels implements vscode.Disposable {
  private readonly open = new Set<OpenDesigner>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a designer opens, closes, becomes active or gets ready. */
  readonly onDidChange = this.changed.event;

  add(designer: OpenDesigner): vscode.Disposable {
    this.open.add(designer);
    this.changed.fire();
    return new vscode.Disposable(() => {
      if (this.open.delete(designer)) this.changed.fire();
    });
  }

  /** Tells listeners that a designer's state (active, ready) changed. */
  touch(): void {
    this.changed.fire();
  }

  /** The designer panel that has the focus. */
  get active(): OpenDesigner | undefined {
    for (const d of this.open) if (d.panel.active) return d;
    return undefined;
  }

  /** The designer of a document: the active one, else a visible one, else any. */
  forUri(uri: vscode.Uri): OpenDesigner | undefined {
    const all = this.allFor(uri);
    return all.find((d) => d.panel.active) ?? all.find((d) => d.panel.visible) ?? all[0];
  }

  /** Every designer of a document. */
  allFor(uri: vscode.Uri): OpenDesigner[] {
    const key = uri.toString();
    return [...this.open].filter((d) => d.document.uri.toString() === key);
  }

  /** Resolves with the designer of the document once its webview is ready; rejects after `timeoutMs`. */
  whenReady(uri: vscode.Uri, timeoutMs: number): Promise<OpenDesigner> {
    const ready = (): OpenDesigner | undefined => {
      const d = this.forUri(uri);
      return d?.session.ready ? d : undefined;
    };
    const now = ready();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const listener = this.onDidChange(() => {
        const d = ready();
        if (!d) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(d);
      });
      const timer = setTimeout(() => {
        listener.dispose();
        reject(new Error(`the designer of ${vscode.workspace.asRelativePath(uri)} did not load within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
    });
  }

  dispose(): void {
    this.open.clear();
    this.changed.dispose();
  }
}
