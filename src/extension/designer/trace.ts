/**
 * The designer's Trace action on the extension side: generates the design in memory (with the CA certificates its
 * files give) and traces the target's request path; opens a piece of evidence in the generated file of the output
 * folder (gatewright.generate.outputFolder) when it is there, else in a read-only view of the generated text.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { readCertificateFiles } from '../../workspace/certificate-files.js';
import { caPemsOf } from '../../generators/ca-pems.js';
import { generate, type GeneratedFile } from '../../generators/generate.js';
import { traceRequests } from '../../trace/trace.js';
import type { Analysis } from '../../validation/analyze.js';
import { OUTPUT_FOLDER_SETTING } from '../commands/generate.js';
import { rootOf } from '../commands/target.js';
import { confineReal } from '../../workspace/confine.js';
import type { TraceEvidence } from './session.js';
import { traceMessage, type TraceMessage, type TraceTarget } from './trace-overlay.js';
import { errorMessage } from '../../model/error-message.js';

/** The generated files of the last trace of each design, for evidence whose file is not in the output folder. */
const lastGenerated = new Map<string, readonly GeneratedFile[]>();

export async function traceDesign(document: vscode.TextDocument, analysis: Analysis, target: TraceTarget): Promise<TraceMessage> {
  const design = analysis.design;
  if (!design || !analysis.parsed.complete) {
    return { type: 'trace', target, verdict: 'fail', notes: ['The design does not satisfy the design format: fix the findings on the Findings tab, then trace again.'], paths: [] };
  }
  const files = await readCertificateFiles(document.uri.fsPath, design, rootOf(document.uri));
  const caPems = caPemsOf(design, files);
  let generated: readonly GeneratedFile[];
  try {
    generated = generate(design, { caPems }).files;
  } catch (e) {
    return { type: 'trace', target, verdict: 'fail', notes: [`The design cannot be generated: ${errorMessage(e)}`], paths: [] };
  }
  lastGenerated.set(document.uri.toString(), generated);
  try {
    return traceMessage(traceRequests({ files: generated, design, caPems }, target.kind === 'api' ? { api: target.api } : {}), target);
  } catch (e) {
    return { type: 'trace', target, verdict: 'fail', notes: [`The generated files cannot be traced: ${errorMessage(e)}`], paths: [] };
  }
}

export async function openEvidence(document: vscode.TextDocument, evidence: TraceEvidence): Promise<void> {
  const setting = vscode.workspace.getConfiguration('gatewright', document.uri).get<string>(OUTPUT_FOLDER_SETTING, 'generated');
  const folder = typeof setting === 'string' && setting.trim() !== '' ? setting.trim() : 'generated';
  const root = rootOf(document.uri);
  const out = await confineReal(root, folder, dirname(document.uri.fsPath));
  const target = out.ok ? await confineReal(root, evidence.file, out.path) : undefined;
  const position = new vscode.Position(Math.max(0, evidence.line - 1), Math.max(0, evidence.column - 1));
  const selection = new vscode.Selection(position, position);
  // Only a regular file is opened: a FIFO or device planted at a generated path would hang or flood the editor.
  if (target?.ok && statSync(target.path, { throwIfNoEntry: false })?.isFile()) {
    await vscode.window.showTextDocument(vscode.Uri.file(target.path), { selection, viewColumn: vscode.ViewColumn.Beside, preview: true });
    return;
  }
  // Not generated into the workspace yet: the text the trace read, in an untitled document.
  const file = lastGenerated.get(document.uri.toString())?.find((f) => f.path === evidence.file);
  if (!file) {
    void vscode.window.showWarningMessage(`Gatewright: ${evidence.file} is neither in the output folder nor in the last trace; trace again.`);
    return;
  }
  const language = evidence.file.endsWith('.json') ? 'json' : evidence.file.endsWith('.xml') ? 'xml' : evidence.file.endsWith('.yaml') ? 'yaml' : 'plaintext';
  const doc = await vscode.workspace.openTextDocument({ content: file.content, language });
  await vscode.window.showTextDocument(doc, { selection, viewColumn: vscode.ViewColumn.Beside, preview: true });
}
