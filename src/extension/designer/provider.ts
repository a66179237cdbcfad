/**
 * The designer: a CustomTextEditorProvider for `*.gatewright.yaml`. The TextDocument is the model; the webview
 * renders the state it is sent and answers with intents, which become ONE WorkspaceEdit each (one undo step), so
 * undo, redo, dirty state, save and hot exit are VS Code's own. The state follows the document: the designer
 * listens to DesignDiagnostics' analyses (no second validation) and asks for faster ones while it is open.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { readAutoSave, type AutoSave } from '../../model/saving.js';
import type { TextEdit } from '../../schemas/operations.js';
import { analyze, type Analysis } from '../../validation/analyze.js';
import { isDesign, type DesignDiagnostics } from '../diagnostics.js';
import { createNonce, designerHtml } from './html.js';
import type { DesignerPanels } from './panels.js';
import { toReplacements, type LinePosition } from './ranges.js';
import { DesignerSession, type DesignerCommand, type SessionHost } from './session.js';
import { openEvidence, traceDesign } from './trace.js';

export const DESIGNER_VIEW_TYPE = 'gatewright.designer';

/** How soon a change of a document shown in a designer is validated and drawn. */
export const DESIGNER_REFRESH_MS = 30;

const COMMANDS: Record<DesignerCommand, string> = {
  openText: 'gatewright.openAsText',
  generate: 'gatewright.generate',
  validate: 'gatewright.validate',
  exportDiagram: 'gatewright.exportDiagram',
  whatIf: 'gatewright.whatIf',
  deploy: 'gatewright.deploy',
  deploymentHistory: 'gatewright.deploymentHistory',
  createDevCertificates: 'gatewright.createDevCertificates',
  rehearse: 'gatewright.rehearse',
};

export interface DesignerServices {
  readonly log: vscode.LogOutputChannel;
  readonly diagnostics: DesignDiagnostics;
  readonly panels: DesignerPanels;
}

export class DesignerEditorProvider implements vscode.CustomTextEditorProvider {
  static register(context: vscode.ExtensionContext, services: DesignerServices): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(DESIGNER_VIEW_TYPE, new DesignerEditorProvider(context, services), {
      // The webview is rebuilt when shown again; it says `ready` and gets the state anew.
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: DesignerServices,
  ) {}

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const { log, diagnostics, panels } = this.services;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    const codicon = vscode.Uri.joinPath(dist, 'codicon.css');
    webview.html = designerHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      codiconUri: existsSync(codicon.fsPath) ? webview.asWebviewUri(codicon).toString() : undefined,
      title: `Gatewright designer: ${vscode.workspace.asRelativePath(document.uri)}`,
    });

    const key = document.uri.toString();
    const host: SessionHost = {
      post: (message) => webview.postMessage(message),
      applyEdits: (edits) => applyTextEdits(document, edits),
      revealInText: (range) => revealInText(document, range),
      runCommand: async (command) => {
        await vscode.commands.executeCommand(COMMANDS[command], document.uri);
      },
      currentAnalysis: () => currentAnalysis(diagnostics, document),
      showError: (message) => void vscode.window.showErrorMessage(message),
      trace: async (target) => traceDesign(document, await currentAnalysis(diagnostics, document), target),
      openEvidence: (evidence) => openEvidence(document, evidence),
      autoSave: () => autoSaveOf(document.uri),
      log: {
        debug: (m) => log.debug(m),
        info: (m) => log.info(m),
        warn: (m) => log.warn(m),
        error: (m) => log.error(m),
      },
    };
    const session = new DesignerSession(document, host);
    session.onReady = () => panels.touch();

    const subscriptions: vscode.Disposable[] = [
      panels.add({ document, panel, session }),
      diagnostics.watch(document.uri, DESIGNER_REFRESH_MS),
      diagnostics.onDidAnalyze(({ uri, analysis }) => {
        if (uri.toString() === key) void session.analyzed(analysis);
      }),
      webview.onDidReceiveMessage((message: unknown) => session.handle(message)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.autoSave', document.uri)) void session.resendState();
      }),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) session.webviewGone();
        panels.touch();
      }),
    ];
    panel.onDidDispose(() => {
      session.dispose();
      for (const s of subscriptions) s.dispose();
    });
    log.debug(`designer opened for ${vscode.workspace.asRelativePath(document.uri)}`);
  }
}

/** VS Code's files.autoSave for a document (https://code.visualstudio.com/docs/editing/codebasics#_save-auto-save). */
export function autoSaveOf(uri: vscode.Uri): AutoSave {
  return readAutoSave(vscode.workspace.getConfiguration('files', uri).get<unknown>('autoSave'));
}

/** The last analysis when it is of the current text; otherwise a new validation (which also updates Problems). */
function currentAnalysis(diagnostics: DesignDiagnostics, document: vscode.TextDocument): Analysis | Promise<Analysis> {
  // A design that is not a file (an older version from source control): drawn, never put into Problems.
  if (!isDesign(document)) return analyze(document.getText());
  const last = diagnostics.analysisOf(document.uri);
  if (last && last.parsed.text === document.getText()) return last;
  return diagnostics.validate(document);
}

/** One WorkspaceEdit for all the edits of an intent: VS Code records it as one undo step. */
export async function applyTextEdits(document: vscode.TextDocument, edits: readonly TextEdit[]): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const r of toReplacements(edits, (offset) => document.positionAt(offset))) {
    edit.replace(document.uri, new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), r.text);
  }
  return vscode.workspace.applyEdit(edit);
}

/** Shows the text beside the designer (reusing a text editor of the document that is already visible). */
async function revealInText(document: vscode.TextDocument, range: { start: LinePosition; end: LinePosition } | undefined): Promise<void> {
  const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const selection = range
    ? new vscode.Selection(range.start.line, range.start.character, range.end.line, range.end.character)
    : undefined;
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: visible?.viewColumn ?? vscode.ViewColumn.Beside,
    preserveFocus: false,
    selection,
  });
  if (selection) editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
