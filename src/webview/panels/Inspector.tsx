/**
 * The Inspector: edits the selected node, edge or certificate (the first of the selection) with a form
 * derived from the schema (form-model.ts), and the design's metadata when nothing is selected. Shows the
 * findings on the element with their fixes, and "Show in text".
 *
 * Test ids (stable; the field controls are documented in fields.tsx):
 *   inspector                the panel (attribute data-kind: node | edge | certificate | metadata | missing)
 *   inspector-title          the element's title
 *   inspector-type           its type (node or edge type, certificate role)
 *   inspector-multi          "N selected" note, with the common type when there is one
 *   inspector-missing        the selected element is not in the design (renamed, deleted, or invalid)
 *   inspector-reveal         "Show in text"
 *   inspector-from, inspector-to   an edge's ends (select the node)
 *   inspector-no-properties  the type has no properties
 *   inspector-findings       the findings on the element (entries: see common.tsx)
 *   inspector-deployment     the node's part in the deployment drawn on the canvas (ids: overlays/DeploymentSection.tsx)
 *   inspector-rehearsal      the edge's rehearsal cases (ids: overlays/RehearsalSection.tsx)
 *   trace-action, trace-*    the Trace buttons of an internet or API Management node and the last trace (ids: overlays/TraceSection.tsx)
 *   inspector-expiry         the certificates the element uses, with their expiry (soonest first)
 *
 * The panel root has the class `nokey`: React Flow ignores key presses from inside it (Delete, arrows).
 */
import { useMemo } from 'react';
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import type { Finding } from '../../schemas/finding.js';
import type { Path } from '../../schemas/operations.js';
import { DeploymentSection } from '../overlays/DeploymentSection.js';
import type { ExpiryBadge } from '../overlays/expiry.js';
import { RehearsalSection } from '../overlays/RehearsalSection.js';
import { TraceActionsFor, TraceSection } from '../overlays/TraceSection.js';
import { FindingItem } from './common.js';
import { FieldEditor, type FieldContext } from './fields.js';
import {
  certificateFormModel,
  commonType,
  describeElement,
  edgeFormModel,
  editTarget,
  elementPath,
  findElement,
  findingsOn,
  metadataFormModel,
  nodeFormModel,
  pathKey,
  relativePath,
  type Element,
  type Field,
  type FormModel,
} from './form-model.js';
import type { PanelProps } from './types.js';
import './panels.css';

/** Findings by their dotted path relative to the element at `prefix`. */
function issuesByPath(findings: readonly Finding[], prefix: Path): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const rel = relativePath(f, prefix);
    if (!rel || rel.length === 0) continue;
    const key = pathKey(rel);
    const list = map.get(key);
    if (list) list.push(f);
    else map.set(key, [f]);
  }
  return map;
}

function modelOf(element: Element): FormModel {
  switch (element.kind) {
    case 'node':
      return nodeFormModel(element.node.type);
    case 'edge':
      return edgeFormModel(element.edge.type);
    case 'certificate':
      return certificateFormModel();
  }
}

function Fields({ fields, ctx }: { fields: readonly Field[]; ctx: FieldContext }) {
  return (
    <>
      {fields.map((f) => (
        <FieldEditor key={pathKey(f.path)} field={f} ctx={ctx} />
      ))}
    </>
  );
}

export default function Inspector({ design, findings, selection, send, select, revealInText, overlays, traceActions }: PanelProps) {
  const first = selection[0];
  const element = useMemo(() => (first ? findElement(design, first) : undefined), [design, first]);
  const multi = selection.length > 1 ? { count: selection.length, type: commonType(design, selection) } : undefined;

  const trace = overlays?.trace && traceActions ? <TraceSection overlay={overlays.trace} actions={traceActions} findings={findings} send={send} /> : null;
  if (!first) {
    return (
      <>
        {trace}
        <MetadataForm {...{ design, findings, selection, send, select, revealInText }} />
      </>
    );
  }

  if (!element) {
    return (
      <section className="nokey gw-panel gw-inspector" data-testid="inspector" data-kind="missing" aria-label="Inspector">
        <p className="gw-note" data-testid="inspector-missing">
          The selected {first.kind} “{first.id}” is not in the design: it was renamed or deleted, or the text breaks the schema there.
        </p>
      </section>
    );
  }

  const item = first;
  const prefix = elementPath(design, item) ?? [];
  const own = findingsOn(findings, item);
  const model = modelOf(element);
  const ctx: FieldContext = {
    design,
    target: editTarget(item),
    root: element.kind === 'node' ? element.node : element.kind === 'edge' ? element.edge : element.certificate,
    issues: issuesByPath(own, prefix),
    ...(element.kind === 'certificate' ? { selfId: element.id } : {}),
    send: (ops, label) => {
      send(ops, label);
      // A rename changes the id the selection holds: follow it.
      for (const op of ops) {
        if (op.op === 'renameNode' && element.kind === 'node') select([{ kind: 'node', id: op.newId }]);
        if (op.op === 'setProperty' && element.kind === 'certificate' && op.path.length === 1 && op.path[0] === 'id' && typeof op.value === 'string') {
          select([{ kind: 'certificate', id: op.value }]);
        }
      }
    },
  };
  const type = element.kind === 'node' ? element.node.type : element.kind === 'edge' ? `${element.edge.type} edge` : `${element.certificate.role} certificate`;
  const deployment = element.kind === 'node' ? overlays?.deployment?.nodes.get(element.id) : undefined;
  const rehearsal = element.kind === 'edge' && (element.edge.type === 'https' || element.edge.type === 'mtls') ? overlays?.rehearsal?.edges.get(element.id) : undefined;
  const expiry = element.kind === 'node' ? overlays?.expiry?.nodes.get(element.id) : element.kind === 'edge' ? overlays?.expiry?.edges.get(element.id) : undefined;

  return (
    <section className="nokey gw-panel gw-inspector" data-testid="inspector" data-kind={element.kind} aria-label={`Inspector: ${describeElement(element)}`}>
      <header className="gw-panel-header">
        <h2 className="gw-title" data-testid="inspector-title">
          {element.kind === 'node' ? (element.node.label ?? element.node.id) : element.kind === 'edge' ? element.id : element.certificate.id}
        </h2>
        <span className="gw-type" data-testid="inspector-type">
          {type}
        </span>
        <VscodeButton
          secondary
          data-testid="inspector-reveal"
          aria-label={`Show ${describeElement(element)} in the text`}
          onClick={() => revealInText(prefix)}
        >
          Show in text
        </VscodeButton>
      </header>
      {multi && (
        <p className="gw-note" data-testid="inspector-multi" role="status">
          {multi.count} elements selected{multi.type ? `, all ${multi.type}` : ', of different types'}; editing the first.
        </p>
      )}
      {element.kind === 'edge' && (
        <p className="gw-edge-ends">
          <button type="button" className="gw-link" data-testid="inspector-from" aria-label={`Select ${element.edge.from}, the calling node`} onClick={() => select([{ kind: 'node', id: element.edge.from }])}>
            {element.edge.from}
          </button>
          <span aria-hidden="true"> → </span>
          <span className="gw-visually-hidden"> calls </span>
          <button type="button" className="gw-link" data-testid="inspector-to" aria-label={`Select ${element.edge.to}, the called node`} onClick={() => select([{ kind: 'node', id: element.edge.to }])}>
            {element.edge.to}
          </button>
        </p>
      )}
      {element.kind === 'node' && traceActions ? <TraceActionsFor node={element.node} actions={traceActions} /> : null}
      {trace}
      {deployment && overlays?.deployment && <DeploymentSection overlay={overlays.deployment} view={deployment} />}
      {rehearsal && overlays?.rehearsal && <RehearsalSection overlay={overlays.rehearsal} view={rehearsal} />}
      {expiry && <ExpirySection badge={expiry} />}
      {own.length > 0 && <ElementFindings findings={own} prefix={prefix} send={send} revealInText={revealInText} />}
      <form className="gw-form" aria-label={`Properties of ${describeElement(element)}`} onSubmit={(e) => e.preventDefault()}>
        <Fields fields={model.general} ctx={ctx} />
        {model.properties.length > 0 ? (
          <>
            {model.general.length > 0 && <h3 className="gw-section">Properties</h3>}
            <Fields fields={model.properties} ctx={ctx} />
          </>
        ) : (
          element.kind !== 'certificate' && (
            <p className="gw-note" data-testid="inspector-no-properties">
              {element.kind === 'node' ? `A ${element.node.type} node` : `A ${element.edge.type} edge`} has no properties.
            </p>
          )
        )}
      </form>
    </section>
  );
}

/** The certificates the element uses that expire within 30 days or expired. */
function ExpirySection({ badge }: { badge: ExpiryBadge }) {
  return (
    <section className="gw-overlay-section" data-testid="inspector-expiry" aria-label="Certificate expiry">
      <h3 className="gw-section">Certificate expiry</h3>
      {badge.lines.map((line, i) => (
        <p key={i} className={`gw-overlay-expiry gw-issue-${badge.status}`}>
          {line}
        </p>
      ))}
    </section>
  );
}

function ElementFindings({
  findings,
  prefix,
  send,
  revealInText,
}: {
  findings: readonly Finding[];
  prefix: Path;
  send: PanelProps['send'];
  revealInText: PanelProps['revealInText'];
}) {
  return (
    <div className="gw-inspector-findings">
      <h3 className="gw-section">
        Findings <span className="gw-count">({findings.length})</span>
      </h3>
      <ul className="gw-finding-list" data-testid="inspector-findings" aria-label="Findings on this element">
        {findings.map((f, i) => (
          <FindingItem
            key={`${f.ruleId}-${i}`}
            finding={f}
            showTarget={false}
            send={send}
            onOpen={() => revealInText(f.path ?? prefix)}
            onReveal={() => revealInText(f.path ?? prefix)}
          />
        ))}
      </ul>
    </div>
  );
}

/** Nothing selected: the design's own metadata (name, location, description, tags). */
function MetadataForm({ design, findings, send, revealInText }: PanelProps) {
  const model = metadataFormModel();
  const own = findings.filter((f) => f.path?.[0] === 'metadata');
  const ctx: FieldContext = {
    design,
    target: { kind: 'metadata' },
    root: design.metadata,
    issues: issuesByPath(own, ['metadata']),
    send,
  };
  return (
    <section className="nokey gw-panel gw-inspector" data-testid="inspector" data-kind="metadata" aria-label="Inspector: design">
      <header className="gw-panel-header">
        <h2 className="gw-title" data-testid="inspector-title">
          {design.metadata.name}
        </h2>
        <span className="gw-type" data-testid="inspector-type">
          design
        </span>
        <VscodeButton secondary data-testid="inspector-reveal" aria-label="Show the metadata in the text" onClick={() => revealInText(['metadata'])}>
          Show in text
        </VscodeButton>
      </header>
      <p className="gw-note">Select a node, an edge or a certificate to edit it.</p>
      {own.length > 0 && <ElementFindings findings={own} prefix={['metadata']} send={send} revealInText={revealInText} />}
      <form className="gw-form" aria-label="Design metadata" onSubmit={(e) => e.preventDefault()}>
        <Fields fields={model.general} ctx={ctx} />
      </form>
    </section>
  );
}
