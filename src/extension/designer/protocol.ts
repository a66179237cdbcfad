/**
 * The host's side of the message contract (src/schemas/messages.ts): every message from the webview is parsed
 * with the shared zod schema before anything looks at it, and every message to it is checked the same way.
 * No vscode import: unit-tested directly.
 */
import { HostMessageSchema, StateMessage, WebviewMessageSchema, type HostMessage, type WebviewMessage } from '../../schemas/messages.js';
import { describeIssues } from '../../schemas/issues.js';

export type Checked<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string };

/** Parses a message from the webview; the error names the message type and the first issues, never the payload. */
export function parseWebviewMessage(raw: unknown): Checked<WebviewMessage> {
  const parsed = WebviewMessageSchema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  return { ok: false, error: `invalid message from the designer${typeLabel(raw)}: ${describeIssues(parsed.error.issues)}` };
}

/** Checks a message before it goes to the webview (what the webview will itself check on arrival). */
export function checkHostMessage(message: HostMessage): Checked<HostMessage> {
  const parsed = HostMessageSchema.safeParse(message);
  if (parsed.success) return { ok: true, message: parsed.data };
  return { ok: false, error: `refusing to send an invalid ${message.type} message to the designer: ${describeIssues(parsed.error.issues)}` };
}

/** A state without its design, findings and certificate expiry: what is left to check when those were checked already. */
const StateEnvelope = StateMessage.omit({ design: true, findings: true, certificateExpiry: true });

/**
 * Checks a state whose design, findings and certificate expiry the analysis worker already checked against this
 * same schema (src/extension/analysis/worker.ts): the rest of it, here. At 1,000 nodes the whole check takes
 * frames of the host's thread; this one does not.
 */
export function checkStateEnvelope(message: Extract<HostMessage, { type: 'state' }>): Checked<HostMessage> {
  const { design: _design, findings: _findings, certificateExpiry: _expiry, ...envelope } = message;
  const parsed = StateEnvelope.safeParse(envelope);
  if (parsed.success) return { ok: true, message };
  return { ok: false, error: `refusing to send an invalid state message to the designer: ${describeIssues(parsed.error.issues)}` };
}

/** A state without its design: what is left to check when the design was checked already. */
const StateButDesign = StateMessage.omit({ design: true });

/**
 * Checks a state whose design is the output of the design schema itself: the design of a text that satisfied the
 * schema (src/document/parse.ts, `complete`), which this message schema holds with that same DesignSchema. The design
 * was checked when the text was read, on this thread, and nothing changes it since; the rest of the message is
 * checked here. At 1,000 nodes checking the design again is most of the whole check.
 */
export function checkStateButDesign(message: Extract<HostMessage, { type: 'state' }>): Checked<HostMessage> {
  const { design: _design, ...rest } = message;
  const parsed = StateButDesign.safeParse(rest);
  if (parsed.success) return { ok: true, message };
  return { ok: false, error: `refusing to send an invalid state message to the designer: ${describeIssues(parsed.error.issues)}` };
}

function typeLabel(raw: unknown): string {
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'type' in raw) {
    const type = (raw as { type: unknown }).type;
    if (typeof type === 'string') return ` (type ${JSON.stringify(type.slice(0, 40))})`;
  }
  return '';
}
