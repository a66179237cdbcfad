/**
 * The side panel's trace: the Trace action of an internet node or of an API Management node's APIs, and, once a
 * trace arrived, each path's hops with their verdicts, each check with what it found, what it depends on or what to
 * change, and its evidence as links that open the generated file at that line. A failing check whose cause a
 * validation rule with a fix covers (src/trace/design-fixes.ts) offers that fix: the button sends the same edit as the
 * finding's Fix button (one undo step), and the next trace shows whether the hop holds.
 *
 * Test ids: trace-action (one per target; data-target), trace-section (data-verdict), trace-hop (data-hop,
 * data-verdict), trace-check (data-check, data-verdict), trace-evidence (one per piece of evidence), trace-fix (one
 * per offered fix; data-rule), trace-close.
 */
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import type { DesignNode } from '../../schemas/design.js';
import type { Finding } from '../../schemas/finding.js';
import type { EditOperation } from '../../schemas/operations.js';
import { fixesFor } from '../../trace/design-fixes.js';
import type { TraceActions } from '../panels/types.js';
import { verdictSymbol, verdictWords, type TraceOverlay } from './trace.js';
import './overlays.css';

/** The Trace buttons of a node: one on an internet node, one per API on an API Management node. */
export function TraceActionsFor({ node, actions }: { node: DesignNode; actions: TraceActions }) {
  if (node.type === 'internet') {
    return (
      <p className="gw-trace-actions">
        <VscodeButton data-testid="trace-action" data-target={node.id} onClick={() => actions.trace({ kind: 'internet', node: node.id })}>
          Trace requests from {node.label ?? node.id}
        </VscodeButton>
      </p>
    );
  }
  if (node.type === 'apiManagement' && node.properties.apis.length > 0) {
    return (
      <p className="gw-trace-actions">
        {node.properties.apis.map((api) => (
          <VscodeButton key={api.name} data-testid="trace-action" data-target={`${node.id}/${api.name}`} onClick={() => actions.trace({ kind: 'api', node: node.id, api: api.name })}>
            Trace API {api.name}
          </VscodeButton>
        ))}
      </p>
    );
  }
  return null;
}

export interface TraceSectionProps {
  overlay: TraceOverlay;
  actions: TraceActions;
  /** The design's findings, for the fixes a failing check offers. */
  findings?: readonly Finding[];
  /** Applies a fix's operations as one edit (the panels' send). */
  send?: (ops: EditOperation[], label: string) => void;
}

export function TraceSection({ overlay, actions, findings = [], send }: TraceSectionProps) {
  const m = overlay.message;
  return (
    <section className="gw-overlay-section gw-trace" data-testid="trace-section" data-verdict={m.verdict} aria-label="Trace">
      <h3 className="gw-section">
        Trace <span className={`gw-trace-verdict gw-trace-verdict--${m.verdict}`}>{verdictSymbol(m.verdict)} {m.verdict}</span>
        <button type="button" className="gw-link gw-trace-close" data-testid="trace-close" aria-label="Hide the trace" onClick={actions.dismiss}>
          ×
        </button>
      </h3>
      {m.notes.map((n, i) => (
        <p key={`n${i}`} className="gw-help">
          {n}
        </p>
      ))}
      {m.paths.map((path) => (
        <div key={path.api} className="gw-trace-path">
          <p className="gw-trace-request">
            API {path.api}: <code>{path.request}</code>
          </p>
          <ol className="gw-trace-hops">
            {path.hops.map((hop) => (
              <li key={hop.id} data-testid="trace-hop" data-hop={hop.id} data-verdict={hop.verdict} className={`gw-trace-hop gw-trace-hop--${hop.verdict}`}>
                <span aria-hidden="true">{verdictSymbol(hop.verdict)}</span> {hop.title} <span className="gw-visually-hidden">{verdictWords(hop.verdict)}</span>
                <ul className="gw-trace-checks">
                  {hop.checks.map((c) => (
                    <li key={c.id} data-testid="trace-check" data-check={c.id} data-verdict={c.verdict} className={`gw-trace-check gw-trace-check--${c.verdict}`}>
                      <strong>
                        {verdictSymbol(c.verdict)} {c.title}
                      </strong>
                      <div className="gw-trace-message">{c.message}</div>
                      {c.dependsOn ? <div className="gw-trace-depends">Depends on: {c.dependsOn}</div> : null}
                      {c.fix ? <div className="gw-trace-fix">Change: {c.fix}</div> : null}
                      {send
                        ? fixesFor(c, hop, findings).map((f) => (
                            <p key={`${f.ruleId}:${f.fix.title}`} className="gw-trace-fix-offer">
                              <VscodeButton data-testid="trace-fix" data-rule={f.ruleId} aria-label={`Fix (${f.ruleId}): ${f.fix.title}`} title={f.message} onClick={() => send(f.fix.operations, f.fix.title)}>
                                Fix: {f.fix.title}
                              </VscodeButton>
                            </p>
                          ))
                        : null}
                      {c.evidence.map((e, i) => (
                        <button
                          key={i}
                          type="button"
                          className="gw-link gw-trace-evidence"
                          data-testid="trace-evidence"
                          title={e.value}
                          onClick={() => actions.openEvidence(e)}
                        >
                          {e.file}:{e.line}:{e.column} <span className="gw-trace-value">{e.value.length > 80 ? `${e.value.slice(0, 77)}...` : e.value}</span>
                        </button>
                      ))}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
