/**
 * Gatewright: Generate — writes what the design generates (Bicep, ARM JSON, Kubernetes manifests, API Management
 * policies) into the folder set by `gatewright.generate.outputFolder` (relative to the design's folder, confined
 * to the workspace). Refuses when validation finds errors. Asks before overwriting a file edited by hand since
 * Gatewright wrote it (or never written by it), using the manifest `.gatewright-generated.json`; files that are no
 * longer generated are left alone and listed.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { generate } from '../../generators/generate.js';
import type { Finding } from '../../schemas/finding.js';
import { caPemsOf } from '../../generators/ca-pems.js';
import type { PlannedFile } from '../../generators/manifest.js';
import { readCertificateFiles } from '../../workspace/certificate-files.js';
import { confineReal } from '../../workspace/confine.js';
import { writeGenerated, type GenerateConsent, type WriteGeneratedOutcome } from '../../workspace/generated.js';
import type { Services } from '../services.js';
import { designDocument, rootOf } from './target.js';
import { errorMessage } from '../../model/error-message.js';

export const OUTPUT_FOLDER_SETTING = 'generate.outputFolder';
const DEFAULT_OUTPUT_FOLDER = 'generated';

export function registerGenerate(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('gatewright.generate', async (uri?: vscode.Uri) => {
    try {
      await generateCommand(uri, services);
    } catch (e) {
      const message = `Gatewright: generation failed: ${errorMessage(e)}`;
      services.log.error(message);
      void vscode.window.showErrorMessage(message);
    }
  });
}

async function generateCommand(arg: unknown, services: Services): Promise<void> {
  const { log, diagnostics } = services;
  const doc = await designDocument(arg, services, 'generate');
  if (!doc) return;
  const designName = vscode.workspace.asRelativePath(doc.uri);
  const root = rootOf(doc.uri);

  // 1. Validate: nothing is generated from a design with errors.
  const analysis = await diagnostics.validate(doc);
  const design = analysis.design;
  if (!design || analysis.summary.errors > 0) {
    refuseErrors(designName, analysis.findings, services);
    return;
  }

  // 2. Where: the setting, relative to the design's folder, inside the workspace.
  const setting = vscode.workspace.getConfiguration('gatewright', doc.uri).get<string>(OUTPUT_FOLDER_SETTING, DEFAULT_OUTPUT_FOLDER);
  const folder = typeof setting === 'string' && setting.trim() !== '' ? setting.trim() : DEFAULT_OUTPUT_FOLDER;
  const out = await confineReal(root, folder, dirname(doc.uri.fsPath));
  if (!out.ok) {
    const message = `Gatewright: the output folder "${folder}" (setting gatewright.${OUTPUT_FOLDER_SETTING}) is refused: ${out.reason}.`;
    log.error(message);
    void vscode.window.showErrorMessage(message, 'Open Settings').then((a) => a && vscode.commands.executeCommand('workbench.action.openSettings', `gatewright.${OUTPUT_FOLDER_SETTING}`));
    return;
  }
  const outName = out.relative === '' ? 'the workspace folder' : out.relative;

  // 3. Generate in memory.
  const certificateFiles = await readCertificateFiles(doc.uri.fsPath, design, root);
  const generated = generate(design, { caPems: caPemsOf(design, certificateFiles) });

  // 4. Write: every target confined (also through symbolic links); consent for files changed by hand or not
  //    written by Gatewright ("Keep Mine" writes every other file).
  const outcome = await writeGenerated({
    root,
    outDir: out.path,
    files: generated.files,
    designPath: doc.uri.fsPath,
    consent: (files) => askOverwrite(files, outName),
  });
  if (outcome.manifestProblem) log.warn(`generate: ${outcome.manifestProblem}; every existing file counts as not written by Gatewright`);
  if (outcome.interrupted) {
    log.warn(`generate: an earlier run (process ${outcome.interrupted.pid}) was interrupted while writing to ${outName}; the files it wrote count as Gatewright's: ${outcome.interrupted.recovered.join(', ') || 'none'}`);
  }
  if (outcome.status === 'cancelled') {
    log.info(`generate: cancelled; nothing written to ${outName}`);
    return;
  }
  const { plan, written, kept, failed } = outcome;

  // 5. Report.
  report({ designName, outName, plan, written, kept, failed, warnings: generated.warnings, dirty: doc.isDirty }, services);
  const summary = [
    `${written.size} file${written.size === 1 ? '' : 's'} written`,
    plan.files.length - written.size - kept.length - failed.length > 0 ? `${plan.files.length - written.size - kept.length - failed.length} unchanged` : '',
    kept.length > 0 ? `${kept.length} kept as edited` : '',
    failed.length > 0 ? `${failed.length} failed` : '',
  ].filter(Boolean);
  const text = `Gatewright: generated ${designName} into "${outName}": ${summary.join(', ')}.`;
  const outUri = vscode.Uri.file(out.path);
  const show = failed.length > 0 ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
  // The system file manager is only there for a local desktop window (not in a browser or a remote window).
  const local = vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
  const actions = local ? ['Open Folder', 'Reveal', 'Show Log'] : ['Reveal', 'Show Log'];
  void show(text, ...actions).then((action) => {
    if (action === 'Open Folder') void vscode.commands.executeCommand('revealFileInOS', outUri);
    else if (action === 'Reveal') void vscode.commands.executeCommand('revealInExplorer', outUri);
    else if (action === 'Show Log') log.show(true);
  });
}

export function refuseErrors(designName: string, findings: readonly Finding[], { log }: Pick<Services, 'log'>, action: 'generate' | 'deploy' | 'rehearse' = 'generate'): void {
  const errors = findings.filter((f) => f.severity === 'error');
  const lines = errors.map((f) => `${f.location ? `${f.location.line}:${f.location.column} ` : ''}${f.ruleId} ${f.message}`);
  const done = { generate: 'generated', deploy: 'deployed', rehearse: 'rehearsed' }[action];
  const doing = { generate: 'generating', deploy: 'deploying', rehearse: 'rehearsing' }[action];
  log.error(`${action}: ${designName} has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing ${done}`);
  for (const l of lines) log.error(`  ${l}`);
  const shown = lines.slice(0, 5).join('\n') + (lines.length > 5 ? `\n... and ${lines.length - 5} more (see Problems)` : '');
  void vscode.window
    .showErrorMessage(`Gatewright: ${designName} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before ${doing}.`, { modal: true, detail: shown }, 'Show Problems')
    .then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
}

async function askOverwrite(files: readonly PlannedFile[], outName: string): Promise<GenerateConsent> {
  const edited = files.filter((f) => f.action === 'edited');
  const foreign = files.filter((f) => f.action === 'foreign');
  const list = (fs: readonly PlannedFile[]) => fs.slice(0, 10).map((f) => `  ${f.path}`).join('\n') + (fs.length > 10 ? `\n  ... and ${fs.length - 10} more` : '');
  const detail = [
    edited.length > 0 ? `Edited by hand:\n${list(edited)}` : '',
    foreign.length > 0 ? `Not written by Gatewright:\n${list(foreign)}` : '',
    '"Keep Mine" writes every other file and leaves these as they are; "Cancel" writes nothing.',
  ]
    .filter(Boolean)
    .join('\n\n');
  const n = files.length;
  const them = n === 1 ? 'it' : 'them';
  const what =
    foreign.length === 0
      ? `${n === 1 ? 'was' : 'were'} edited by hand since Gatewright wrote ${them}`
      : edited.length === 0
        ? `${n === 1 ? 'was' : 'were'} not written by Gatewright`
        : 'were edited by hand or not written by Gatewright';
  const answer = await vscode.window.showWarningMessage(
    `${n} file${n === 1 ? '' : 's'} in "${outName}" ${what}. Overwrite ${them}?`,
    { modal: true, detail },
    'Overwrite',
    'Keep Mine',
  );
  return answer === 'Overwrite' ? 'overwrite' : answer === 'Keep Mine' ? 'keep' : 'cancel';
}

interface Outcome {
  readonly designName: string;
  readonly outName: string;
  readonly plan: WriteGeneratedOutcome['plan'];
  readonly written: ReadonlySet<string>;
  readonly kept: readonly PlannedFile[];
  readonly failed: readonly string[];
  readonly warnings: readonly string[];
  readonly dirty: boolean;
}

function report(o: Outcome, { log }: Services): void {
  log.info(`generate: ${o.designName} -> ${o.outName}${o.dirty ? ' (from the unsaved text of the design)' : ''}`);
  const verb: Record<PlannedFile['action'], string> = { create: 'created', update: 'updated', edited: 'overwrote hand edits in', foreign: 'overwrote', unchanged: 'unchanged' };
  for (const f of o.plan.files) {
    if (o.written.has(f.path)) log.info(`  ${verb[f.action]} ${f.path}`);
    else if (f.action === 'unchanged') log.debug(`  unchanged ${f.path}`);
  }
  for (const f of o.kept) log.warn(`  kept ${f.path} (${f.action === 'edited' ? 'edited by hand' : 'not written by Gatewright'}); it does not match the design`);
  for (const f of o.failed) log.error(`  could not write ${f}`);
  for (const p of o.plan.stale) log.warn(`  ${p} is no longer generated; left in place (delete it if it is not needed)`);
  for (const w of o.warnings) log.warn(`  ${w}`);
}
