/**
 * The results of a rehearsal drawn on the https and mtls edges, as view data: the host's `rehearsal` message
 * mapped once, when it arrives, to each edge's badge ("✓ 4/4", "✗ 1 of 4 failed"), its tooltip (one line per
 * handshake) and the cases the side panel lists. Pure; the store keeps the result as view state.
 */
import type { HostMessage } from '../../schemas/messages.js';

export type RehearsalMessage = Extract<HostMessage, { type: 'rehearsal' }>;
export type RehearsalCase = RehearsalMessage['edges'][string]['cases'][number];

export interface EdgeRehearsalView {
  readonly pass: boolean;
  /** The badge: "✓ 4/4" or "✗ 1 of 4 failed". */
  readonly text: string;
  /** The badge in words, for screen readers: "rehearsal passed, 4 of 4 handshakes as expected". */
  readonly summary: string;
  /** The tooltip: the summary and when it ran, then one line per case. */
  readonly tooltip: string;
  readonly cases: readonly RehearsalCase[];
}

export interface RehearsalOverlay {
  /** When it ran (ISO 8601). */
  readonly at: string;
  readonly summary: RehearsalMessage['summary'];
  readonly edges: ReadonlyMap<string, EdgeRehearsalView>;
}

/** One case as a tooltip line: "✗ no client certificate: expected refused, got accepted. <detail>". */
export function describeCase(c: RehearsalCase): string {
  return `${c.pass ? '✓' : '✗'} ${c.title}: expected ${c.expected}, got ${c.got}${c.pass ? '' : ' (FAILED)'}. ${c.detail}`;
}

/** "2026-05-04 10:12 UTC" from an ISO instant, or the text itself when it does not parse. */
export function describeTime(at: string): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return at;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function edgeRehearsalView(result: RehearsalMessage['edges'][string], at: string): EdgeRehearsalView {
  const total = result.cases.length;
  const failed = result.cases.filter((c) => !c.pass).length;
  const passed = total - failed;
  const hs = (n: number) => `handshake${n === 1 ? '' : 's'}`;
  let text: string;
  let summary: string;
  if (result.pass) {
    text = `✓ ${passed}/${total}`;
    summary = `rehearsal passed, ${passed} of ${total} ${hs(total)} as expected`;
  } else {
    text = failed > 0 ? `✗ ${failed} of ${total} failed` : '✗ failed';
    summary = failed > 0 ? `rehearsal failed, ${failed} of ${total} ${hs(total)} not as expected` : 'rehearsal failed';
  }
  const tooltip = [`${summary[0]!.toUpperCase()}${summary.slice(1)} (${describeTime(at)}).`, ...result.cases.map(describeCase)].join('\n');
  return { pass: result.pass, text, summary, tooltip, cases: result.cases };
}

/** The overlay a `rehearsal` message draws; undefined when it names no edge (which clears the last one). */
export function rehearsalOverlay(message: RehearsalMessage): RehearsalOverlay | undefined {
  const entries = Object.entries(message.edges);
  if (entries.length === 0) return undefined;
  const edges = new Map<string, EdgeRehearsalView>();
  for (const [id, result] of entries) edges.set(id, edgeRehearsalView(result, message.at));
  return { at: message.at, summary: message.summary, edges };
}
