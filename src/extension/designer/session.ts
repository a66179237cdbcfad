/**
 * One designer panel's conversation with its webview: checks every incoming message, turns intents into edits of
 * the document (never writing the file: the user saves), answers `ready` with the state, and tracks the diagram
 * exports the host asked for. Intents are numbered (`seq`); every state names the last one answered (`ack`), a
 * refused one is answered with `refused` and its reason, and an applied one at once with the shape of the new text
 * (`findingsPending`: the analysis, with the findings, follows), so that the canvas can draw its intents
 * optimistically and settle them (src/webview/canvas/pending.ts). VS Code is reached only through the SessionHost interface (the provider implements
 * it), so the whole protocol is unit-tested with a fake webview and document.
 */
import { applyOperations } from '../../document/edits/index.js';
import { parseDesign, SYNTAX_RULE_ID, type ParsedDesign } from '../../document/parse.js';
import type { HostMessage, WebviewMessage } from '../../schemas/messages.js';
import type { TextEdit } from '../../schemas/operations.js';
import type { Analysis } from '../../validation/analyze.js';
import { checkHostMessage, checkStateButDesign, checkStateEnvelope, parseWebviewMessage, type Checked } from './protocol.js';
import { stateCheckedInWorker } from '../analysis/analyzer.js';
import { locationToRange, type LinePosition } from './ranges.js';
import { stateMessage, type StateMessage } from './state.js';
import { errorMessage } from '../../model/error-message.js';
import type { AutoSave } from '../../model/saving.js';

export type DesignerCommand = Extract<WebviewMessage, { type: 'command' }>['command'];
/** The overlays the host draws over the design: a deployment's what-if and states, a rehearsal's results, a trace. */
export type OverlayMessage = Extract<HostMessage, { type: 'deployment' | 'rehearsal' | 'trace' }>;
export type TraceTarget = Extract<WebviewMessage, { type: 'trace' }>['target'];
export type TraceEvidence = Extract<WebviewMessage, { type: 'openEvidence' }>['evidence'];
export type ExportFormat = 'svg' | 'png' | 'drawio';

export interface SessionDocument {
  readonly fileName: string;
  readonly version: number;
  getText(): string;
}

export interface SessionLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SessionHost {
  /** Delivers a message to the webview; false when it could not (the panel is hidden or gone). */
  post(message: HostMessage): PromiseLike<boolean> | boolean;
  /** Applies edits of the current text as ONE workspace edit (one undo step); false when VS Code refused it. */
  applyEdits(edits: readonly TextEdit[], label: string): PromiseLike<boolean>;
  /** Shows the text beside the designer, with the range selected when there is one. */
  revealInText(range: { start: LinePosition; end: LinePosition } | undefined): PromiseLike<void>;
  /** Runs a Gatewright command on this design. */
  runCommand(command: DesignerCommand): PromiseLike<void>;
  /** An analysis of the current text (the last one when it is current, else a new one). */
  currentAnalysis(): PromiseLike<Analysis> | Analysis;
  showError(message: string): void;
  /** Generates the design in memory and traces the request path of the target (src/trace). */
  trace?(target: TraceTarget): PromiseLike<Extract<HostMessage, { type: 'trace' }>>;
  /** Opens the generated file of a piece of trace evidence at its line. */
  openEvidence?(evidence: TraceEvidence): PromiseLike<void>;
  /** VS Code's files.autoSave for the document (sent with each state; off when not given). */
  autoSave?(): AutoSave;
  readonly log: SessionLog;
}

interface PendingExport {
  readonly format: ExportFormat;
  readonly resolve: (data: string) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class DesignerSession {
  private isReady = false;
  private disposed = false;
  private edits: Promise<void> = Promise.resolve();
  private readonly exports = new Map<string, PendingExport>();
  private exportCount = 0;
  /** The last overlay of each kind, sent again when the webview reloads (it is rebuilt each time it is shown). */
  private readonly overlays = new Map<OverlayMessage['type'], OverlayMessage>();
  /** The `seq` of the last intent answered since the webview's last `ready` (0: none). */
  private answered = 0;
  /** Called after each `ready` (the webview loaded or reloaded). */
  onReady: (() => void) | undefined;

  constructor(
    private readonly document: SessionDocument,
    private readonly host: SessionHost,
  ) {}

  /** True once the webview said `ready` (and again after each reload). */
  get ready(): boolean {
    return this.isReady && !this.disposed;
  }

  /** Handles one raw message from the webview. Never throws. */
  async handle(raw: unknown): Promise<void> {
    if (this.disposed) return;
    const checked = parseWebviewMessage(raw);
    if (!checked.ok) {
      this.host.log.warn(checked.error);
      return;
    }
    const message = checked.message;
    try {
      switch (message.type) {
        case 'ready':
          this.isReady = true;
          // A reloaded webview numbers its intents from 1 again.
          this.answered = 0;
          await this.sendCurrentState();
          for (const overlay of this.overlays.values()) await this.post(overlay);
          this.onReady?.();
          return;
        case 'edit':
          return await this.enqueueEdit(message);
        case 'revealInText':
          return await this.revealInText(message.path);
        case 'command':
          return await this.host.runCommand(message.command);
        case 'exportResult':
          return this.exportResult(message);
        case 'trace': {
          const traced = await this.host.trace?.(message.target);
          if (traced) await this.showOverlay(traced);
          return;
        }
        case 'openEvidence':
          return await this.host.openEvidence?.(message.evidence);
        case 'error':
          this.host.log.error(`designer webview: ${message.message}`);
          return;
      }
    } catch (e) {
      this.host.log.error(`designer: ${message.type} failed: ${errorText(e)}`);
    }
  }

  /** Sends the state again (a setting it carries changed), if the webview is listening. */
  async resendState(): Promise<boolean> {
    if (!this.ready) return false;
    return this.sendCurrentState();
  }

  /** Sends the state of an analysis, if it is the analysis of the current text and the webview is listening. */
  async analyzed(analysis: Analysis): Promise<boolean> {
    if (!this.ready) return false;
    if (analysis.parsed.text !== this.document.getText()) return false;
    return this.postAnalysis(analysis);
  }

  /**
   * Draws an overlay (a deployment, a rehearsal) and keeps it, so that it is drawn again after a reload. A
   * deployment with phase `clear` and a rehearsal without edges remove theirs.
   */
  async showOverlay(message: OverlayMessage): Promise<boolean> {
    const clears =
      message.type === 'deployment'
        ? message.phase === 'clear'
        : message.type === 'trace'
          ? message.paths.length === 0 && message.notes.length === 0
          : Object.keys(message.edges).length === 0;
    if (clears) this.overlays.delete(message.type);
    else this.overlays.set(message.type, message);
    return this.ready ? this.post(message) : false;
  }

  /** Asks the webview for an image of the diagram; resolves with SVG text or base64 PNG. */
  requestExport(format: ExportFormat, timeoutMs = 30_000): Promise<string> {
    if (!this.ready) return Promise.reject(new Error('the designer is not open yet; open the design in the designer and try again'));
    const requestId = `export-${++this.exportCount}-${Date.now().toString(36)}`;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.exports.delete(requestId);
        reject(new Error(`the designer did not answer the export request within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.exports.set(requestId, { format, resolve, reject, timer });
      void this.post({ type: 'exportRequest', requestId, format }).then((sent) => {
        if (sent) return;
        const pending = this.exports.get(requestId);
        if (!pending) return;
        clearTimeout(pending.timer);
        this.exports.delete(requestId);
        reject(new Error('the designer is hidden; show it and export again'));
      });
    });
  }

  /** Sends a message after checking it against the schema; false when it was invalid or not delivered. */
  post(message: HostMessage): Promise<boolean> {
    return this.send(message, checkHostMessage);
  }

  private async send<M extends HostMessage>(message: M, check: (message: M) => Checked<HostMessage>): Promise<boolean> {
    if (this.disposed) return false;
    const checked = check(message);
    if (!checked.ok) {
      this.host.log.error(checked.error);
      return false;
    }
    try {
      return await this.host.post(message);
    } catch (e) {
      this.host.log.warn(`designer: could not send ${message.type}: ${errorText(e)}`);
      return false;
    }
  }

  /** Waits for the edits received so far to be applied (for tests and for commands that follow an edit). */
  settled(): Promise<void> {
    return this.edits;
  }

  /**
   * The webview's content is gone (the panel was hidden: it is rebuilt, and says `ready` again, when shown).
   * Nothing is sent until then; pending exports fail.
   */
  webviewGone(): void {
    this.isReady = false;
    this.rejectExports('the designer was hidden before it sent the image; show it and export again');
  }

  dispose(): void {
    this.disposed = true;
    this.rejectExports('the designer was closed');
  }

  private rejectExports(reason: string): void {
    for (const [id, pending] of this.exports) {
      clearTimeout(pending.timer);
      pending.reject(new Error(reason));
      this.exports.delete(id);
    }
  }

  // ---------------------------------------------------------------- intents

  private async sendCurrentState(): Promise<boolean> {
    const analysis = await this.host.currentAnalysis();
    // A stale analysis (the text changed meanwhile) is not drawn: the analysis of the change follows.
    if (this.disposed || analysis.parsed.text !== this.document.getText()) return false;
    return this.postAnalysis(analysis);
  }

  /**
   * The state of an analysis; its design and findings are not checked again when the analysis worker checked them,
   * nor its design when the design schema made it (see checkStateButDesign).
   */
  private postAnalysis(analysis: Analysis): Promise<boolean> {
    const message = { ...stateMessage(analysis, this.document.version, this.document.fileName, this.host.autoSave?.()), ack: this.answered };
    if (stateCheckedInWorker(analysis)) return this.send(message, checkStateEnvelope);
    return this.send(message, designFromSchema(analysis.parsed, message.design) ? checkStateButDesign : checkHostMessage);
  }

  /**
   * The shape of the current text (its design, no findings yet) right after an edit: parsing is quick next to
   * the rules, and the analysis that follows reuses the parse. Nothing when the text is no design.
   */
  private async sendShapeState(): Promise<boolean> {
    const text = this.document.getText();
    const parsed = parseDesign(text);
    if (!this.ready || !parsed.design || parsed.findings.some((f) => f.ruleId === SYNTAX_RULE_ID)) return false;
    const message: StateMessage = {
      type: 'state',
      version: this.document.version,
      fileName: this.document.fileName,
      design: parsed.design,
      findings: [],
      syntaxError: false,
      findingsPending: true,
      ack: this.answered,
      ...(this.host.autoSave ? { autoSave: this.host.autoSave() } : {}),
    };
    return this.send(message, designFromSchema(parsed, message.design) ? checkStateButDesign : checkHostMessage);
  }

  /** Records that the intent numbered `seq` (if numbered) has been answered. */
  private answer(seq: number | undefined): void {
    if (seq !== undefined && seq > this.answered) this.answered = seq;
  }

  /** Tells the webview that its intent was not carried out, and why, then sends the state it should draw. */
  private async refuse(message: Extract<WebviewMessage, { type: 'edit' }>, reason: string): Promise<void> {
    this.answer(message.seq);
    if (message.seq !== undefined) await this.post({ type: 'refused', seq: message.seq, reason: reason.slice(0, 2000) });
    await this.sendCurrentState();
  }

  /** Edits run one after the other, each on the text the previous one left. */
  private enqueueEdit(message: Extract<WebviewMessage, { type: 'edit' }>): Promise<void> {
    const next = this.edits.then(() => this.edit(message));
    this.edits = next.catch(() => undefined);
    return next;
  }

  private async edit(message: Extract<WebviewMessage, { type: 'edit' }>): Promise<void> {
    if (this.disposed) return;
    const label = message.label ?? describeOperations(message);
    const text = this.document.getText();
    if (message.baseVersion !== this.document.version) {
      this.host.log.debug(`designer: "${label}" was made on version ${message.baseVersion}; applying it to version ${this.document.version}`);
    }
    const result = applyOperations(text, message.operations);
    if (!result.ok) {
      const error = `Gatewright: could not ${lowerFirst(label)}: ${result.error}`;
      this.host.log.warn(`${error} (operation ${result.index + 1} of ${message.operations.length})`);
      this.host.showError(error);
      await this.refuse(message, result.error);
      return;
    }
    if (result.edits.length === 0) {
      this.host.log.debug(`designer: "${label}" changes nothing`);
      this.answer(message.seq);
      await this.sendCurrentState();
      return;
    }
    const applying = this.host.applyEdits(result.edits, label);
    // While VS Code applies the edit (its window's process, then the document change comes back), this thread reads
    // the design of the text the edit makes, from the parse the edit already made: the shape is ready to go out the
    // moment the edit is applied. Kept by parseDesign; sendShapeState reads the current text again, so a text that
    // changed meanwhile is never drawn from this reading.
    parseDesign(result.text);
    const applied = await applying;
    if (!applied) {
      const error = `Gatewright: VS Code did not apply "${label}" (the document may be read-only or changed meanwhile)`;
      this.host.log.warn(error);
      this.host.showError(error);
      await this.refuse(message, 'VS Code did not apply the edit (the document may be read-only or changed meanwhile).');
      return;
    }
    this.answer(message.seq);
    this.host.log.info(`designer: ${label} (${result.edits.length} edit${result.edits.length === 1 ? '' : 's'})`);
    await this.sendShapeState();
  }

  private async revealInText(path: readonly (string | number)[]): Promise<void> {
    const location = parseDesign(this.document.getText()).locate([...path]);
    await this.host.revealInText(location ? locationToRange(location) : undefined);
  }

  private exportResult(message: Extract<WebviewMessage, { type: 'exportResult' }>): void {
    const pending = this.exports.get(message.requestId);
    if (!pending) {
      this.host.log.warn(`designer: export result for an unknown request ${JSON.stringify(message.requestId.slice(0, 60))} dropped`);
      return;
    }
    clearTimeout(pending.timer);
    this.exports.delete(message.requestId);
    if (message.format !== pending.format) {
      pending.reject(new Error(`the designer sent ${message.format.toUpperCase()} where ${pending.format.toUpperCase()} was asked for`));
      return;
    }
    pending.resolve(message.data);
  }
}

/**
 * True when a state's design is the one the design schema gave for the whole text (src/document/parse.ts: `complete`
 * means DesignSchema.safeParse accepted the text and `design` is its output), not a partial design put together
 * from the entries that passed.
 */
function designFromSchema(parsed: ParsedDesign, design: StateMessage['design']): boolean {
  return parsed.complete && design !== null && design === parsed.design;
}

/** A label for logs when the webview gave none: "addNode, connect". */
function describeOperations(message: Extract<WebviewMessage, { type: 'edit' }>): string {
  const ops = [...new Set(message.operations.map((o) => o.op))];
  return `apply ${ops.slice(0, 3).join(', ')}${ops.length > 3 ? ', ...' : ''}`;
}

function lowerFirst(s: string): string {
  return s.length > 1 && s[1] !== s[1]!.toUpperCase() ? s[0]!.toLowerCase() + s.slice(1) : s;
}

function errorText(e: unknown): string {
  return errorMessage(e);
}
