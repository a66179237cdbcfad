/**
 * Edge components, one per visual family: TLS (https and mtls, with a lock and the trust they carry),
 * Private Link (endpoint and DNS zone), control plane (dashed: diagnostics, protects, siem, secrets) and
 * plain. Colors come from CSS classes: the family, and the worst finding on the edge (error or warning).
 * Labels are SVG text with a halo in the editor background, so they stay readable over other edges. Under the
 * label of an https or mtls edge: the last rehearsal's badge ("✓ 4/4", "✗ 1 of 4 failed") and the certificate
 * expiry badge, each with its tooltip (an SVG title), both hit by the pointer so that the tooltip shows.
 */
import { BaseEdge, getBezierPath, getSmoothStepPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ArchFlowEdge } from './graph.js';
import { iconId } from './icons.js';

const LINE_HEIGHT = 13;
/** Average advance of a character of the label font, to centre the lock before the first line. */
const CHAR_WIDTH = 6.2;

function edgeClass(props: EdgeProps<ArchFlowEdge>, family: string): string {
  const d = props.data;
  return ['gwc-edge', `gwc-edge--${family}`, d ? `gwc-edge--${d.edgeType}` : '', d?.severity ? `gwc-edge--${d.severity}` : '', props.selected ? 'gwc-edge--selected' : '']
    .filter(Boolean)
    .join(' ');
}

/**
 * The arrowhead, drawn as part of the edge's own path (an open chevron at the target, which is always on the
 * left side of a node, so the edge arrives pointing right). SVG markers would be painted and composited one by
 * one, thousands of them in a large diagram.
 */
function withArrow(path: string, x: number, y: number): string {
  return `${path} M${x - 7},${y - 4.5} L${x - 1},${y} L${x - 7},${y + 4.5}`;
}

function EdgeLabel({
  x,
  y,
  lines,
  lock,
  testId,
  kind,
  severity,
}: {
  x: number;
  y: number;
  lines: readonly string[];
  lock: boolean;
  testId: string;
  kind: string;
  severity: string | undefined;
}) {
  if (lines.length === 0) return null;
  const top = -((lines.length - 1) * LINE_HEIGHT) / 2;
  const firstWidth = lines[0]!.length * CHAR_WIDTH;
  return (
    <g className={`gwc-edge-label gwc-edge-label--${kind}${severity ? ` gwc-edge-label--${severity}` : ''}`} transform={`translate(${x} ${y})`} data-testid={testId}>
      {lock ? <use href={`#${iconId('lock')}`} className="gwc-edge-label__lock" x={-firstWidth / 2 - 15} y={top - 9} width={12} height={12} /> : null}
      <text textAnchor="middle">
        {lines.map((line, i) => (
          <tspan key={i} x={0} y={top + i * LINE_HEIGHT + 4} className={i === 0 ? 'gwc-edge-label__title' : 'gwc-edge-label__detail'}>
            {line}
          </tspan>
        ))}
      </text>
    </g>
  );
}

/** The rehearsal, expiry and trace badges under a TLS edge's label (`lines` label lines above them). */
function EdgeBadges({ x, y, lines, data }: { x: number; y: number; lines: number; data: ArchFlowEdge['data'] & object }) {
  if (!data.rehearsal && !data.expiry && !data.trace) return null;
  let row = lines / 2 + (lines > 0 ? 0.5 : 0);
  const next = () => (row++ * LINE_HEIGHT) + 4;
  return (
    <g className="gwc-edge-badges" transform={`translate(${x} ${y})`}>
      {data.rehearsal ? (
        <g className={`gwc-edge-badge gwc-edge-badge--${data.rehearsal}`} data-testid={`edge-${data.edgeId}-rehearsal`} data-status={data.rehearsal}>
          <title>{data.rehearsalTitle}</title>
          <text textAnchor="middle" y={next()}>
            {data.rehearsalText}
          </text>
        </g>
      ) : null}
      {data.expiry ? (
        <g className={`gwc-edge-badge gwc-edge-badge--${data.expiry}`} data-testid={`edge-${data.edgeId}-expiry`} data-status={data.expiry}>
          <title>{data.expiryTitle}</title>
          <text textAnchor="middle" y={next()}>
            {data.expiryText}
          </text>
        </g>
      ) : null}
      {data.trace ? (
        <g className={`gwc-edge-badge gwc-edge-badge--trace-${data.trace}`} data-testid={`edge-${data.edgeId}-trace`} data-verdict={data.trace}>
          <title>{data.traceTitle}</title>
          <text textAnchor="middle" y={next()}>
            {data.traceText}
          </text>
        </g>
      ) : null}
    </g>
  );
}

function TlsEdgeView(props: EdgeProps<ArchFlowEdge>) {
  const [path, labelX, labelY] = getSmoothStepPath({ ...props, borderRadius: 10 });
  const d = props.data;
  return (
    <>
      {d ? <title>{d.description}</title> : null}
      <BaseEdge path={withArrow(path, props.targetX, props.targetY)} className={edgeClass(props, 'tls')} interactionWidth={16} />
      {d ? <EdgeLabel x={labelX} y={labelY} lines={d.lines} lock={d.lock} testId={`edge-label-${d.edgeId}`} kind={d.edgeType} severity={d.severity} /> : null}
      {d ? <EdgeBadges x={labelX} y={labelY} lines={d.lines.length} data={d} /> : null}
    </>
  );
}

function PrivateLinkEdgeView(props: EdgeProps<ArchFlowEdge>) {
  const [path, labelX, labelY] = getSmoothStepPath({ ...props, borderRadius: 10 });
  const d = props.data;
  return (
    <>
      {d ? <title>{d.description}</title> : null}
      <BaseEdge path={withArrow(path, props.targetX, props.targetY)} className={edgeClass(props, 'privateLink')} interactionWidth={16} />
      {d ? <EdgeLabel x={labelX} y={labelY} lines={d.lines} lock={false} testId={`edge-label-${d.edgeId}`} kind={d.edgeType} severity={d.severity} /> : null}
    </>
  );
}

function ControlEdgeView(props: EdgeProps<ArchFlowEdge>) {
  const [path] = getBezierPath(props);
  return (
    <>
      {props.data ? <title>{props.data.description}</title> : null}
      <BaseEdge path={withArrow(path, props.targetX, props.targetY)} className={edgeClass(props, 'control')} interactionWidth={12} />
    </>
  );
}

function PlainEdgeView(props: EdgeProps<ArchFlowEdge>) {
  const [path] = getBezierPath(props);
  return (
    <>
      {props.data ? <title>{props.data.description}</title> : null}
      <BaseEdge path={withArrow(path, props.targetX, props.targetY)} className={edgeClass(props, 'plain')} interactionWidth={12} />
    </>
  );
}

/** Module scope, so React Flow never sees a new object. */
export const EDGE_TYPES_MAP = {
  tls: memo(TlsEdgeView),
  privateLink: memo(PrivateLinkEdgeView),
  control: memo(ControlEdgeView),
  plain: memo(PlainEdgeView),
};
