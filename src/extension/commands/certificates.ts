/**
 * Gatewright: Create Development Certificates — what `gatewright certs dev` does, for the design in the editor: a
 * development CA and every certificate the design declares (src/workspace/dev-certificates.ts createDevCertificates over src/pki),
 * public PEMs in `certs/` next to the design, private keys and PFX files in the git-ignored, owner-only
 * `certs/private/`, both confined to the workspace.
 *
 * The design's `file` (and `notAfter`) fields are set through the TextDocument with ONE WorkspaceEdit of the
 * minimal edits, never by writing the file: the user's unsaved changes stay, undo takes the change back, and the
 * user saves. Before anything is written, a dry run says what would be replaced (existing certificate files issued
 * again, `file` fields that name other files) and a modal question asks. The output channel gets the table of
 * `certs dev` and the files written; no key material is ever logged.
 */
import { existsSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { createDevCertificates, DevCertificatesRefused, formatDevCertificates, type DevCertificatesOutcome, type DevCertificatesRequest } from '../../workspace/dev-certificates.js';
import { DEFAULT_DAYS } from '../../pki/dev.js';
import { DEFAULT_PRIVATE_SUBFOLDER, DEFAULT_PUBLIC_FOLDER } from '../../pki/layout.js';
import { SCHEMA_RULE_ID, SYNTAX_RULE_ID } from '../../document/parse.js';
import type { Analysis } from '../../validation/analyze.js';
import { confineReal } from '../../workspace/confine.js';
import { applyTextEdits, autoSaveOf } from '../designer/provider.js';
import { keepingTheChange, savesAutomatically } from '../../model/saving.js';
import type { Services } from '../services.js';
import { replacementQuestion, replacementsOf } from './certificate-replacements.js';
import { designDocument, rootOf } from './target.js';
import { errorMessage } from '../../model/error-message.js';

export const CREATE_DEV_CERTIFICATES_COMMAND = 'gatewright.createDevCertificates';

/** How often the certificates are made again for a design that changed while they were being made. */
const MAX_ATTEMPTS = 3;

export function registerDevCertificates(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(CREATE_DEV_CERTIFICATES_COMMAND, async (uri?: vscode.Uri): Promise<boolean> => {
    const doc = await designDocument(uri, services, 'make development certificates for');
    if (!doc) return false;
    return createDevCertificatesFor(doc, services, { offerRehearsal: true });
  });
}

/** Where a design's development certificates go: `certs/` next to it and `certs/private/` in it, inside the workspace. */
export async function devFoldersFor(doc: vscode.TextDocument): Promise<{ ok: true; root: string; publicDir: string; privateDir: string } | { ok: false; reason: string }> {
  const root = rootOf(doc.uri);
  const publicDir = await confineReal(root, DEFAULT_PUBLIC_FOLDER, dirname(doc.uri.fsPath));
  if (!publicDir.ok) return { ok: false, reason: `the certificate folder is refused: ${publicDir.reason}` };
  const privateDir = await confineReal(root, DEFAULT_PRIVATE_SUBFOLDER, publicDir.path);
  if (!privateDir.ok) return { ok: false, reason: `the private key folder is refused: ${privateDir.reason}` };
  return { ok: true, root, publicDir: publicDir.path, privateDir: privateDir.path };
}

/**
 * Makes the development certificates of a design and points its `file` fields at them (one edit of the document).
 * Resolves true when the certificates are there and the design names them; false when the user declined or it
 * failed (already reported). Never throws.
 */
export async function createDevCertificatesFor(doc: vscode.TextDocument, services: Services, options: { offerRehearsal: boolean }): Promise<boolean> {
  const { log } = services;
  const designName = vscode.workspace.asRelativePath(doc.uri);
  try {
    const analysis = await services.diagnostics.validate(doc);
    if (!analysis.design) {
      refuseInvalidDesign(designName, analysis, 'creating its development certificates', services);
      return false;
    }
    const folders = await devFoldersFor(doc);
    if (!folders.ok) return fail(`Gatewright: no development certificates made for ${designName}: ${folders.reason}.`, services);
    const { root } = folders;
    const show = (path: string) => relative(root, path).split(sep).join('/') || '.';
    const request = (designText: string, dryRun: boolean): DevCertificatesRequest => ({
      designPath: doc.uri.fsPath,
      designText,
      root,
      publicDir: folders.publicDir,
      privateDir: folders.privateDir,
      days: DEFAULT_DAYS,
      dryRun,
    });

    // 1. What would be replaced: ask first.
    const preview = await createDevCertificates(request(doc.getText(), true));
    if (!preview.ok) return failProblems(designName, preview.problems, services);
    const question = replacementQuestion(replacementsOf(preview, existsSync, show), designName, autoSaveOf(doc.uri));
    if (question) {
      const answer = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, 'Replace');
      if (answer !== 'Replace') {
        log.info(`certificates: cancelled for ${designName}; nothing written`);
        return false;
      }
    }

    // 2. Make and write them, then set the design's fields on the text the user has now.
    const made = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gatewright: creating the development certificates of ${designName}` },
      () => makeAndEdit(doc, (text) => createDevCertificates(request(text, false))),
    );
    if (!made.ok) {
      if ('problems' in made) return failProblems(designName, made.problems, services);
      return fail(`Gatewright: the development certificates of ${designName} were written, but ${made.reason}.`, services);
    }

    // 3. Report (never key material: formatDevCertificates prints ids, names, dates and paths).
    const { outcome, written } = made;
    log.info(`certificates: development certificates for ${designName} (public ${show(outcome.publicDir)}/, private ${show(outcome.privateDir)}/)`);
    for (const line of formatDevCertificates(outcome, { designFile: designName, cwd: root, days: DEFAULT_DAYS, dryRun: false }).trimEnd().split('\n')) {
      if (line.trim() !== '') log.info(`  ${line}`);
    }
    for (const path of written) log.info(`  wrote ${show(path)}`);
    const changed = outcome.designChanges.length;
    const autoSave = autoSaveOf(doc.uri);
    if (changed > 0) log.info(`  set ${changed} field${changed === 1 ? '' : 's'} of ${designName} in the editor (${savesAutomatically(autoSave) ? 'VS Code saves it automatically' : 'not saved'})`);

    const count = outcome.certificates.length;
    const kept = outcome.certificates.filter((c) => c.action === 'reused').length;
    const text = [
      `Gatewright: ${count} development certificate${count === 1 ? '' : 's'} for ${designName}`,
      kept === count ? ' (all kept: still valid)' : kept > 0 ? ` (${count - kept} new, ${kept} kept)` : '',
      `; ${written.length} file${written.length === 1 ? '' : 's'} written to ${show(outcome.publicDir)}/`,
      changed > 0 ? `. The design now names them: ${keepingTheChange(autoSave)}.` : '.',
    ].join('');
    const actions = options.offerRehearsal ? ['Rehearse', 'Show Output'] : ['Show Output'];
    void vscode.window.showInformationMessage(text, ...actions).then((action) => {
      if (action === 'Rehearse') void vscode.commands.executeCommand('gatewright.rehearse', doc.uri);
      else if (action === 'Show Output') log.show(true);
    });
    return true;
  } catch (e) {
    const refused = e instanceof DevCertificatesRefused;
    return fail(`Gatewright: ${refused ? 'no development certificates made' : 'making the development certificates failed'} for ${designName}: ${errorText(e)}`, services);
  }
}

type Made =
  | { ok: true; outcome: Extract<DevCertificatesOutcome, { ok: true }>; written: string[] }
  | { ok: false; problems: readonly string[] }
  | { ok: false; reason: string };

/**
 * Makes the certificates for the document's text and applies the design edits to that same text. When the user
 * typed meanwhile, it runs again on the new text (the certificates just written are kept, so only the edits change).
 */
async function makeAndEdit(doc: vscode.TextDocument, make: (text: string) => Promise<DevCertificatesOutcome>): Promise<Made> {
  const written = new Set<string>();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const version = doc.version;
    const text = doc.getText();
    const outcome = await make(text);
    if (!outcome.ok) return { ok: false, problems: outcome.problems };
    for (const path of outcome.written) written.add(path);
    if (doc.isClosed) return { ok: false, reason: 'the design was closed before its certificate files could be set' };
    if (doc.version !== version || doc.getText() !== text) continue;
    if (outcome.designEdits.length > 0 && !(await applyTextEdits(doc, outcome.designEdits))) {
      return { ok: false, reason: 'VS Code refused the edit that sets the certificate files in the design' };
    }
    return { ok: true, outcome, written: [...written] };
  }
  return { ok: false, reason: `the design kept changing while its certificate files were being set (${MAX_ATTEMPTS} attempts); run the command again` };
}

/** A design that does not parse or breaks the schema: its syntax and schema errors, in a modal message. */
export function refuseInvalidDesign(designName: string, analysis: Analysis, action: string, { log }: Services): void {
  const errors = analysis.findings.filter((f) => f.severity === 'error' && (f.ruleId === SYNTAX_RULE_ID || f.ruleId === SCHEMA_RULE_ID));
  const lines = errors.map((f) => `${f.location ? `${f.location.line}:${f.location.column} ` : ''}${f.ruleId} ${f.message}`);
  log.error(`${designName} does not satisfy the design schema; ${action} needs a valid design`);
  for (const l of lines) log.error(`  ${l}`);
  const detail = lines.slice(0, 5).join('\n') + (lines.length > 5 ? `\n... and ${lines.length - 5} more (see Problems)` : '');
  void vscode.window
    .showErrorMessage(`Gatewright: ${designName} does not satisfy the design schema; fix it before ${action}.`, { modal: true, detail }, 'Show Problems')
    .then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
}

function failProblems(designName: string, problems: readonly string[], services: Services): false {
  services.log.error(`certificates: no development certificate made for ${designName}:`);
  for (const p of problems) services.log.error(`  ${p}`);
  void vscode.window
    .showErrorMessage(`Gatewright: no development certificate made for ${designName}: ${problems[0] ?? 'unknown problem'}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, 'Show Output')
    .then((a) => a && services.log.show(true));
  return false;
}

function fail(message: string, { log }: Services): false {
  log.error(message);
  void vscode.window.showErrorMessage(message, 'Show Output').then((a) => a && log.show(true));
  return false;
}

function errorText(e: unknown): string {
  return (errorMessage(e)).split('\n')[0]!;
}
