/**
 * Gatewright: Export Diagram — asks the designer for an SVG or PNG image of the canvas, or a draw.io diagram of it,
 * and saves it to a file the user picks inside the workspace.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { confineReal } from '../../workspace/confine.js';
import { decodeExport } from '../designer/export-data.js';
import { DESIGNER_VIEW_TYPE } from '../designer/provider.js';
import type { ExportFormat } from '../designer/session.js';
import type { Services } from '../services.js';
import { designDocument, rootOf } from './target.js';
import { errorMessage } from '../../model/error-message.js';

const FORMATS: readonly (vscode.QuickPickItem & { format: ExportFormat; fileKind: string })[] = [
  { label: 'SVG', description: 'Vector image: sharp at any size, editable', format: 'svg', fileKind: 'SVG image' },
  { label: 'PNG', description: 'Bitmap image, 300 dpi for A4 landscape: for documents and slides', format: 'png', fileKind: 'PNG image' },
  { label: 'draw.io', description: 'Diagram to go on editing in draw.io (diagrams.net)', format: 'drawio', fileKind: 'draw.io diagram' },
];

export function registerExportDiagram(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('gatewright.exportDiagram', async (uri?: vscode.Uri) => {
    try {
      await exportDiagram(uri, services);
    } catch (e) {
      const message = `Gatewright: export failed: ${errorMessage(e)}`;
      services.log.error(message);
      void vscode.window.showErrorMessage(message);
    }
  });
}

async function exportDiagram(arg: unknown, services: Services): Promise<void> {
  const doc = await designDocument(arg, services, 'export');
  if (!doc) return;
  const picked = await vscode.window.showQuickPick(FORMATS, { title: 'Gatewright: Export Diagram', placeHolder: 'Export format' });
  if (!picked) return;
  const { format } = picked;

  const root = rootOf(doc.uri);
  const base = path.basename(doc.uri.fsPath).replace(/\.gatewright\.yaml$/, '');
  const target = await vscode.window.showSaveDialog({
    title: `Export the diagram as ${picked.label}`,
    defaultUri: vscode.Uri.file(path.join(path.dirname(doc.uri.fsPath), `${base}.${format}`)),
    filters: { [picked.fileKind]: [format] },
    saveLabel: 'Export',
  });
  if (!target) return;
  const file = target.fsPath.toLowerCase().endsWith(`.${format}`) ? target.fsPath : `${target.fsPath}.${format}`;
  const confined = await confineReal(root, file);
  if (!confined.ok) {
    const message = `Gatewright: diagrams are exported inside the workspace; ${confined.reason}.`;
    services.log.warn(message);
    void vscode.window.showErrorMessage(message);
    return;
  }

  // The designer draws the image: open it (beside the text) if it is not open yet.
  // (A hidden designer has no content: it is shown again, and rebuilds, first.)
  let designer = services.panels.forUri(doc.uri);
  if (!designer?.session.ready) {
    if (designer) designer.panel.reveal(undefined, true);
    else await vscode.commands.executeCommand('vscode.openWith', doc.uri, DESIGNER_VIEW_TYPE, vscode.ViewColumn.Beside);
    designer = await services.panels.whenReady(doc.uri, 20_000);
  }
  const data = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Gatewright: drawing the diagram as ${picked.label}…` },
    () => designer.session.requestExport(format),
  );
  const decoded = decodeExport(format, data);
  if (!decoded.ok) throw new Error(decoded.error);
  await writeFile(confined.path, decoded.bytes);
  services.log.info(`export: wrote ${confined.relative} (${decoded.bytes.length} bytes)`);
  const uri = vscode.Uri.file(confined.path);
  void vscode.window.showInformationMessage(`Gatewright: exported the diagram to ${confined.relative}.`, 'Open', 'Reveal').then((a) => {
    if (a === 'Open') void vscode.commands.executeCommand('vscode.open', uri, vscode.ViewColumn.Beside);
    else if (a === 'Reveal') void vscode.commands.executeCommand('revealInExplorer', uri);
  });
}
