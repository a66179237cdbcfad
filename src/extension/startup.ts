/**
 * `gatewright.openOnStartup`: designs (paths relative to a workspace folder) that open in the designer when the
 * extension starts. `npm start` sets it (scripts/start-config.mjs) rather than opening the design from the address:
 * VS Code in a browser opens the files of the address before the extensions' custom editors are registered, and on
 * a browser's first visit (nothing remembered of a previous one) it then picks the text editor. Opening the design
 * from here happens once the designer is registered, so it is the designer on every visit.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../model/error-message.js';
import { confineReal } from '../workspace/confine.js';
import { DESIGNER_VIEW_TYPE } from './designer/provider.js';
import type { Services } from './services.js';

export const OPEN_ON_STARTUP = 'openOnStartup';

/** True when a tab in any group shows `uri` in the designer. */
function openInDesigner(uri: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === DESIGNER_VIEW_TYPE && t.input.uri.toString() === uri.toString()),
  );
}

/** Opens the designs listed in the setting (those that exist inside a workspace folder and are not open in the designer yet). */
export async function openDesignsOnStartup(services: Services): Promise<void> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const listed = vscode.workspace.getConfiguration('gatewright', folder.uri).get<unknown>(OPEN_ON_STARTUP);
    if (!Array.isArray(listed)) continue;
    for (const entry of listed) {
      if (typeof entry !== 'string' || !entry.endsWith('.gatewright.yaml')) {
        services.log.warn(`${OPEN_ON_STARTUP}: ${JSON.stringify(entry)} is not a *.gatewright.yaml path; skipped`);
        continue;
      }
      const confined = await confineReal(folder.uri.fsPath, entry);
      if (!confined.ok) {
        services.log.warn(`${OPEN_ON_STARTUP}: ${confined.reason}; skipped`);
        continue;
      }
      const uri = vscode.Uri.file(confined.path);
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        services.log.warn(`${OPEN_ON_STARTUP}: ${confined.relative} does not exist; skipped`);
        continue;
      }
      if (openInDesigner(uri)) continue;
      try {
        await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE, { preview: false });
        services.log.info(`${OPEN_ON_STARTUP}: opened ${confined.relative} in the designer`);
      } catch (e) {
        services.log.error(`${OPEN_ON_STARTUP}: could not open ${confined.relative}: ${errorMessage(e)}`);
      }
    }
  }
}
