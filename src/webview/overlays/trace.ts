/**
 * A trace of the request path drawn on the canvas, as view data: the host's `trace` message mapped once, when it
 * arrives, to a verdict badge for each node and edge a hop crosses (the worst verdict of the hops crossing it) and
 * the report the side panel lists. Pure; the store keeps the result as view state.
 */
import type { HostMessage } from '../../schemas/messages.js';

export type TraceMessage = Extract<HostMessage, { type: 'trace' }>;
export type TraceVerdict = TraceMessage['verdict'];

export interface TraceBadge {
  readonly verdict: TraceVerdict;
  /** The badge: "✓ trace", "✗ trace", "? trace". */
  readonly text: string;
  /** The tooltip: one line per hop crossing it, with its verdict. */
  readonly title: string;
}

export interface TraceOverlay {
  readonly message: TraceMessage;
  readonly nodes: ReadonlyMap<string, TraceBadge>;
  readonly edges: ReadonlyMap<string, TraceBadge>;
}

const SYMBOL: Record<TraceVerdict, string> = { pass: '✓', fail: '✗', 'unknown-until-deployed': '?' };
const WORDS: Record<TraceVerdict, string> = { pass: 'passes', fail: 'fails', 'unknown-until-deployed': 'is unknown until deployed' };

export function verdictSymbol(v: TraceVerdict): string {
  return SYMBOL[v];
}

export function verdictWords(v: TraceVerdict): string {
  return WORDS[v];
}

function worse(a: TraceVerdict, b: TraceVerdict): TraceVerdict {
  if (a === 'fail' || b === 'fail') return 'fail';
  if (a === 'unknown-until-deployed' || b === 'unknown-until-deployed') return 'unknown-until-deployed';
  return 'pass';
}

/** The overlay a `trace` message draws; undefined when it clears (no path and no note). */
export function traceOverlay(message: TraceMessage): TraceOverlay | undefined {
  if (message.paths.length === 0 && message.notes.length === 0) return undefined;
  const collect = (key: 'nodes' | 'edges'): Map<string, TraceBadge> => {
    const acc = new Map<string, { verdict: TraceVerdict; lines: string[] }>();
    for (const path of message.paths) {
      for (const hop of path.hops) {
        for (const id of hop[key]) {
          const a = acc.get(id) ?? { verdict: 'pass' as TraceVerdict, lines: [] };
          a.verdict = worse(a.verdict, hop.verdict);
          a.lines.push(`${SYMBOL[hop.verdict]} ${path.api}: ${hop.title} ${WORDS[hop.verdict]}`);
          acc.set(id, a);
        }
      }
    }
    return new Map([...acc].map(([id, a]) => [id, { verdict: a.verdict, text: `${SYMBOL[a.verdict]} trace`, title: a.lines.join('\n') }]));
  };
  return { message, nodes: collect('nodes'), edges: collect('edges') };
}
