/**
 * A fake document and webview for the designer's host logic, without VS Code: the document applies range
 * replacements the way a WorkspaceEdit does (all relative to the text before the edit, one version step per
 * edit), the webview records what it was sent.
 */
import { applyEdits } from '../../src/document/edits/index.js';
import type { HostMessage } from '../../src/schemas/messages.js';
import type { TextEdit } from '../../src/schemas/operations.js';
import { analyze, type Analysis } from '../../src/validation/analyze.js';
import { positionAt, toReplacements, type LinePosition, type Replacement } from '../../src/extension/designer/ranges.js';
import type { DesignerCommand, SessionHost } from '../../src/extension/designer/session.js';

export class FakeDocument {
  version = 1;
  /** Each applied WorkspaceEdit, as the replacements it held (one entry = one undo step). */
  readonly undoStack: { before: string; replacements: Replacement<LinePosition>[] }[] = [];

  constructor(
    private text: string,
    readonly fileName = '/work/space/payments.gatewright.yaml',
  ) {}

  getText(): string {
    return this.text;
  }

  /** What the user types in the text editor. */
  type(text: string): void {
    this.text = text;
    this.version++;
  }

  /** Applies range replacements as VS Code applies one WorkspaceEdit: all against the current text. */
  applyReplacements(replacements: Replacement<LinePosition>[]): void {
    const edits: TextEdit[] = replacements.map((r) => {
      const offset = offsetAt(this.text, r.start);
      return { offset, length: offsetAt(this.text, r.end) - offset, text: r.text };
    });
    this.undoStack.push({ before: this.text, replacements });
    this.text = applyEdits(this.text, [...edits].sort((a, b) => a.offset - b.offset));
    this.version++;
  }

  undo(): void {
    const last = this.undoStack.pop();
    if (!last) throw new Error('nothing to undo');
    this.text = last.before;
    this.version++;
  }
}

/** The inverse of positionAt, for the fake document (lines end at \n, \r\n or \r). */
export function offsetAt(text: string, position: LinePosition): number {
  let line = 0;
  let i = 0;
  while (line < position.line && i < text.length) {
    const c = text[i];
    i++;
    if (c === '\r' && text[i] === '\n') i++;
    if (c === '\n' || c === '\r') line++;
  }
  return i + position.character;
}

export interface Log {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export class FakeHost implements SessionHost {
  readonly posted: HostMessage[] = [];
  readonly errors: string[] = [];
  readonly logs: Log[] = [];
  readonly commands: DesignerCommand[] = [];
  readonly reveals: ({ start: LinePosition; end: LinePosition } | undefined)[] = [];
  /** Whether the webview can receive (false: hidden). */
  delivering = true;
  /** Whether VS Code accepts the workspace edit. */
  accepting = true;
  analyses = 0;

  constructor(readonly document: FakeDocument) {}

  post(message: HostMessage): boolean {
    if (!this.delivering) return false;
    this.posted.push(structuredClone(message));
    return true;
  }

  async applyEdits(edits: readonly TextEdit[]): Promise<boolean> {
    await Promise.resolve();
    if (!this.accepting) return false;
    const text = this.document.getText();
    this.document.applyReplacements(toReplacements(edits, (o) => positionAt(text, o)));
    return true;
  }

  async revealInText(range: { start: LinePosition; end: LinePosition } | undefined): Promise<void> {
    this.reveals.push(range);
  }

  async runCommand(command: DesignerCommand): Promise<void> {
    this.commands.push(command);
  }

  currentAnalysis(): Analysis {
    this.analyses++;
    return analyze(this.document.getText());
  }

  showError(message: string): void {
    this.errors.push(message);
  }

  readonly log = {
    debug: (message: string) => this.logs.push({ level: 'debug', message }),
    info: (message: string) => this.logs.push({ level: 'info', message }),
    warn: (message: string) => this.logs.push({ level: 'warn', message }),
    error: (message: string) => this.logs.push({ level: 'error', message }),
  };

  states(): Extract<HostMessage, { type: 'state' }>[] {
    return this.posted.filter((m): m is Extract<HostMessage, { type: 'state' }> => m.type === 'state');
  }
}
