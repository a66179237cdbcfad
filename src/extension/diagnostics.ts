/** Findings as Problems: validates open `*.gatewright.yaml` documents and keeps their diagnostics current. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readCertificateFiles } from '../workspace/certificate-files.js';
import { DESIGN_SUFFIX } from '../workspace/design-file.js';
import type { Finding } from '../schemas/finding.js';
import { certificateFilesOf, type Analysis } from '../validation/analyze.js';
import type { Analyzer } from './analysis/analyzer.js';
import type { ElementTarget } from './designer/element-at.js';
import { errorMessage } from '../model/error-message.js';
import { RULE_CATALOG } from '../validation/rules/index.js';


export function isDesign(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && doc.fileName.endsWith(DESIGN_SUFFIX);
}

const HELP = new Map(RULE_CATALOG.flatMap((r) => (r.source.url ? [[r.id, r.source.url] as const] : [])));

export class DesignDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gatewright');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly latest = new Map<string, Analysis>();
  /** Documents shown in a designer: their changes are validated sooner, so the canvas follows typing. */
  private readonly watched = new Map<string, { delayMs: number; count: number }>();
  /** How long the last validation of each document took, in ms. */
  private readonly durations = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<{ uri: vscode.Uri; analysis: Analysis }>();
  /** Fires after each validation of a design document. */
  readonly onDidAnalyze = this.changed.event;

  /** `analyzer` runs the analyses: large designs in its worker thread, so typing never waits for the rules. */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly analyzer: Analyzer,
  ) {}

  /** The element at an offset of an analysis' text, without parsing a large design on this thread. */
  elementAt(analysis: Analysis, offset: number): Promise<ElementTarget | undefined> {
    return this.analyzer.elementAt(analysis, offset);
  }

  /** The last analysis of a document, if it was validated. */
  analysisOf(uri: vscode.Uri): Analysis | undefined {
    return this.latest.get(uri.toString());
  }

  /**
   * While the returned Disposable lives, changes of the document are validated within `delayMs` (instead of the
   * default 200 ms): a designer shows the document and must follow the text editor at once.
   */
  watch(uri: vscode.Uri, delayMs: number): vscode.Disposable {
    const key = uri.toString();
    const entry = this.watched.get(key);
    if (entry) {
      entry.count++;
      entry.delayMs = Math.min(entry.delayMs, delayMs);
    } else {
      this.watched.set(key, { delayMs, count: 1 });
    }
    let done = false;
    return new vscode.Disposable(() => {
      if (done) return;
      done = true;
      const current = this.watched.get(key);
      if (current && --current.count === 0) this.watched.delete(key);
    });
  }

  /** Validates soon (coalescing keystrokes). */
  schedule(doc: vscode.TextDocument, delayMs = 200): void {
    if (!isDesign(doc)) return;
    const key = doc.uri.toString();
    const watched = this.watched.get(key);
    // Sooner for a designer, but never more often than validation takes (a large design must not keep the
    // extension host busy on every keystroke).
    if (watched) delayMs = Math.min(delayMs, Math.max(watched.delayMs, this.durations.get(key) ?? 0));
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.validate(doc).catch((e: unknown) => this.log.error(`could not validate ${vscode.workspace.asRelativePath(doc.uri)}: ${errorMessage(e)}`));
      }, delayMs),
    );
  }

  /**
   * Analyses the current text and publishes its findings. When the document changes before the analysis is done,
   * the analysis of the newer text is published instead (and returned): an older text's findings never follow a
   * newer one's. Rejects when the analysis failed (the worker's error).
   */
  async validate(doc: vscode.TextDocument): Promise<Analysis> {
    const started = performance.now();
    const text = doc.getText();
    const version = doc.version;
    const key = doc.uri.toString();
    const first = await this.analyzer.analyze({ key, version, text });
    if (!first) return this.validate(doc);
    let analysis = first;
    const paths = certificateFilesOf(first.parsed.design);
    if (paths.length > 0) {
      const root = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath ?? path.dirname(doc.uri.fsPath);
      const files = await readCertificateFiles(doc.uri.fsPath, first.parsed.design!, root);
      const withFiles = await this.analyzer.analyze({ key, version, text, files });
      if (!withFiles) return this.validate(doc);
      analysis = withFiles;
    }
    this.durations.set(doc.uri.toString(), performance.now() - started);
    if (doc.isClosed || doc.version !== version) return analysis;
    this.latest.set(doc.uri.toString(), analysis);
    this.collection.set(doc.uri, analysis.findings.map((f) => toDiagnostic(f, doc)));
    const { errors, warnings, infos } = analysis.summary;
    this.log.info(`validated ${vscode.workspace.asRelativePath(doc.uri)}: ${errors} errors, ${warnings} warnings, ${infos} infos`);
    this.changed.fire({ uri: doc.uri, analysis });
    return analysis;
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.latest.delete(key);
    this.durations.delete(key);
    this.analyzer.forget(key);
    this.collection.delete(doc.uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    void this.analyzer.dispose();
    this.collection.dispose();
    this.changed.dispose();
  }
}

export function toDiagnostic(f: Finding, doc: vscode.TextDocument): vscode.Diagnostic {
  const range = f.location
    ? new vscode.Range(f.location.line - 1, f.location.column - 1, f.location.endLine - 1, f.location.endColumn - 1)
    : new vscode.Range(0, 0, 0, Math.max(0, doc.lineAt(0).text.length));
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  d.source = 'gatewright';
  const help = HELP.get(f.ruleId);
  d.code = help ? { value: f.ruleId, target: vscode.Uri.parse(help) } : f.ruleId;
  return d;
}

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;
