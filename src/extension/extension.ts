/** The extension's entry point: wires the features to VS Code. */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { Analyzer, WORKER_FROM_BYTES } from './analysis/analyzer.js';
import { registerDevCertificates } from './commands/certificates.js';
import { registerContinuousDeployment } from './commands/continuous-deployment.js';
import { registerExportDiagram } from './commands/export-diagram.js';
import { registerGenerate } from './commands/generate.js';
import { registerNewArchitecture } from './commands/new-architecture.js';
import { registerOpen } from './commands/open.js';
import { registerRehearse } from './commands/rehearse.js';
import { registerValidate } from './commands/validate.js';
import { DesignerPanels } from './designer/panels.js';
import { DesignerEditorProvider } from './designer/provider.js';
import { syncTextSelection } from './designer/selection-sync.js';
import { registerDeploy } from './deploy/register.js';
import { DesignDiagnostics } from './diagnostics.js';
import { DesignQuickFixes } from './quick-fixes/code-actions.js';
import type { Services } from './services.js';
import { openDesignsOnStartup } from './startup.js';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Gatewright', { log: true });
  // The analysis worker is bundled beside the extension (scripts/build.mjs); without it every analysis runs here.
  const workerFile = vscode.Uri.joinPath(context.extensionUri, 'dist', 'analysis-worker.js').fsPath;
  const hasWorker = existsSync(workerFile);
  if (!hasWorker) log.warn(`analysis worker ${workerFile} not found: designs are analysed on the extension host's thread`);
  const diagnostics = new DesignDiagnostics(log, new Analyzer({ workerFile: hasWorker ? workerFile : undefined, workerFromBytes: WORKER_FROM_BYTES }));
  const panels = new DesignerPanels();
  const services: Services = { context, log, diagnostics, panels };
  context.subscriptions.push(
    log,
    diagnostics,
    panels,
    vscode.workspace.onDidOpenTextDocument((doc) => diagnostics.schedule(doc, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) diagnostics.schedule(e.document);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => diagnostics.schedule(doc, 0)),
    vscode.workspace.onDidCloseTextDocument((doc) => diagnostics.forget(doc)),
    DesignerEditorProvider.register(context, services),
    DesignQuickFixes.register(diagnostics, log),
    syncTextSelection(diagnostics, panels, log),
    registerNewArchitecture(services),
    registerGenerate(services),
    registerValidate(services),
    registerExportDiagram(services),
    registerDeploy(services),
    registerDevCertificates(services),
    registerRehearse(services),
    registerContinuousDeployment(services),
    ...registerOpen(services),
  );
  for (const doc of vscode.workspace.textDocuments) diagnostics.schedule(doc, 0);
  log.info('Gatewright activated');
  void openDesignsOnStartup(services);
}

export function deactivate(): void {}
