/** What the commands and the designer share: created once in activate(). */
import type * as vscode from 'vscode';
import type { DesignDiagnostics } from './diagnostics.js';
import type { DesignerPanels } from './designer/panels.js';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly diagnostics: DesignDiagnostics;
  readonly panels: DesignerPanels;
}
