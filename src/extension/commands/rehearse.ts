/**
 * Gatewright: Rehearse mTLS Handshakes — `gatewright rehearse` for the design in the editor (its unsaved text): real
 * TLS handshakes on loopback for every https and mtls edge with the development certificates (src/cli/rehearse.ts
 * rehearseDesign over src/rehearsal), under a cancellable progress notification. The table goes to the Gatewright
 * output channel, a notification sums it up, and every designer of the document draws the results on its edges
 * (the `rehearsal` overlay). When the development certificates are missing, it offers to create them and then
 * rehearses.
 */
import * as vscode from 'vscode';
import { rehearseDesign, type RehearseOutcome } from '../../workspace/rehearsal.js';
import { planRehearsal } from '../../rehearsal/plan.js';
import { formatRehearsalText } from '../../rehearsal/report.js';
import { rehearsalMessage } from '../designer/rehearsal-overlay.js';
import type { Services } from '../services.js';
import { createDevCertificatesFor, devFoldersFor } from './certificates.js';
import { refuseErrors } from './generate.js';
import { designDocument } from './target.js';
import { errorMessage } from '../../model/error-message.js';

export const REHEARSE_COMMAND = 'gatewright.rehearse';
const CREATE = 'Create Development Certificates';

/** Thrown from the progress callback to stop the rehearsal between two handshakes. */
class Cancelled extends Error {}

export function registerRehearse(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(REHEARSE_COMMAND, async (uri?: vscode.Uri): Promise<void> => {
    const doc = await designDocument(uri, services, 'rehearse');
    if (!doc) return;
    try {
      await rehearse(doc, services, true);
    } catch (e) {
      const message = `Gatewright: the rehearsal of ${vscode.workspace.asRelativePath(doc.uri)} failed: ${errorMessage(e)}`;
      services.log.error(message);
      void vscode.window.showErrorMessage(message, 'Show Output').then((a) => a && services.log.show(true));
    }
  });
}

async function rehearse(doc: vscode.TextDocument, services: Services, offerCertificates: boolean): Promise<void> {
  const { log, diagnostics, panels } = services;
  const designName = vscode.workspace.asRelativePath(doc.uri);
  const analysis = await diagnostics.validate(doc);
  // As Generate and Deploy do: a design with errors is not rehearsed; the errors are listed.
  if (!analysis.design || analysis.summary.errors > 0) {
    refuseErrors(designName, analysis.findings, services, 'rehearse');
    return;
  }
  const folders = await devFoldersFor(doc);
  if (!folders.ok) throw new Error(folders.reason);

  const designText = doc.getText();
  const plan = planRehearsal(analysis.design);
  const total = plan.edges.reduce((n, e) => n + e.cases.length, 0) + plan.unplanned.length;
  let outcome: RehearseOutcome;
  try {
    outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gatewright: rehearsing ${designName}`, cancellable: true },
      async (progress, token) => {
        let done = 0;
        return rehearseDesign({
          designPath: doc.uri.fsPath,
          designText,
          root: folders.root,
          publicDir: folders.publicDir,
          privateDir: folders.privateDir,
          onResult: (r) => {
            // Between two handshakes: the one that just finished has closed its server and client.
            if (token.isCancellationRequested) throw new Cancelled();
            done++;
            progress.report({ increment: total > 0 ? 100 / total : 0, message: `${done}/${total} ${r.edge}: ${r.title}` });
          },
        });
      },
    );
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    log.info(`rehearse: ${designName}: cancelled`);
    void vscode.window.showInformationMessage(`Gatewright: the rehearsal of ${designName} was cancelled.`);
    return;
  }

  if (!outcome.ok) {
    log.error(`rehearse: cannot rehearse ${designName}:`);
    for (const p of outcome.problems) log.error(`  ${p}`);
    if (outcome.cause === 'materials' && offerCertificates) {
      const answer = await vscode.window.showWarningMessage(
        `Gatewright: cannot rehearse ${designName}: ${outcome.problems[0] ?? 'its development certificates are missing'}${outcome.problems.length > 1 ? ` (and ${outcome.problems.length - 1} more)` : ''}. Create the development certificates, then rehearse?`,
        CREATE,
        'Show Output',
      );
      if (answer === 'Show Output') log.show(true);
      if (answer === CREATE && (await createDevCertificatesFor(doc, services, { offerRehearsal: false }))) await rehearse(doc, services, false);
      return;
    }
    void vscode.window
      .showErrorMessage(`Gatewright: cannot rehearse ${designName}: ${outcome.problems.join('; ')}`, 'Show Output')
      .then((a) => a && log.show(true));
    return;
  }

  const { report } = outcome;
  log.info(`rehearse: ${designName}${doc.isDirty ? ' (the unsaved text)' : ''}`);
  for (const line of formatRehearsalText(report, { designFile: designName }).trimEnd().split('\n')) {
    if (line.trim() !== '') log.info(`  ${line}`);
  }
  const message = rehearsalMessage(report, new Date());
  for (const designer of panels.allFor(doc.uri)) await designer.session.showOverlay(message);

  const { cases, passed, failed } = report.summary;
  if (cases === 0) {
    void vscode.window.showInformationMessage(`Gatewright: ${designName} has no https or mtls edge to rehearse.`);
    return;
  }
  const counts = `${cases} case${cases === 1 ? '' : 's'}, ${passed} passed, ${failed} failed`;
  const show = failed === 0 ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const verdict = failed === 0 ? 'every handshake behaved as the design says' : `${failed} did not behave as the design says`;
  void show(`Gatewright: rehearsal of ${designName}: ${counts}: ${verdict}.`, 'Show Output').then((a) => a && log.show(true));
}
