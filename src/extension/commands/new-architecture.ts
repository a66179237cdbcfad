/**
 * Gatewright: New Architecture — writes the reference architecture or a blank design to a file the user picks
 * (never overwriting without asking) and opens it in the designer.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { blankDesign, referenceDesign } from '../../designs/reference.js';
import { DESIGNER_VIEW_TYPE } from '../designer/provider.js';
import type { Services } from '../services.js';
import { designNameFor, withDesignSuffix } from './design-file.js';
import { errorMessage } from '../../model/error-message.js';

interface Template extends vscode.QuickPickItem {
  readonly fileName: string;
  readonly write: (name: string) => string;
}

const TEMPLATES: readonly Template[] = [
  {
    label: 'Reference architecture',
    description: 'Application Gateway (WAF) → API Management → mTLS → private AKS',
    detail: 'With Key Vault, Container Registry, Entra ID, SQL and Cosmos DB over Private Link, monitoring and Bastion. Passes validation.',
    fileName: 'payments',
    write: (name) => referenceDesign(name),
  },
  {
    label: 'Blank',
    description: 'An empty design',
    detail: 'Start from an empty canvas and add components from the palette.',
    fileName: 'my-api',
    write: (name) => blankDesign(name),
  },
];

export function registerNewArchitecture(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('gatewright.newArchitecture', async () => {
    const template = await vscode.window.showQuickPick(TEMPLATES, {
      title: 'Gatewright: New Architecture',
      placeHolder: 'Start from the reference architecture or from a blank design',
    });
    if (!template) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const picked = await vscode.window.showSaveDialog({
      title: 'Save the new Gatewright design',
      defaultUri: vscode.Uri.joinPath(folder, `${template.fileName}.gatewright.yaml`),
      filters: { 'Gatewright design': ['yaml'] },
      saveLabel: 'Create Design',
    });
    if (!picked) return;
    const uri = picked.with({ path: withDesignSuffix(picked.path) });
    // The save dialog asked about the name it returned; a name we changed was not asked about.
    if (uri.path !== picked.path && (await exists(uri))) {
      const overwrite = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(uri)} already exists. Replace it with a new design?`,
        { modal: true },
        'Replace',
      );
      if (overwrite !== 'Replace') return;
    }
    const fallback = template.fileName;
    const text = template.write(designNameFor(uri.path, fallback));
    try {
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    } catch (e) {
      const message = `Gatewright: could not write ${uri.fsPath}: ${errorMessage(e)}`;
      services.log.error(message);
      void vscode.window.showErrorMessage(message);
      return;
    }
    services.log.info(`new design ${vscode.workspace.asRelativePath(uri)} (${template.label})`);
    await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE);
  });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}
