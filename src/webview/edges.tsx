/**
 * Edge components, one per visual family: TLS (https and mtls, with a lock and the trust they carry),
 * Private Link (endpoint and DNS zone), control plane (dashed: diagnostics, protects, siem, secrets) and
 * plain. Colors come from CSS classes: the family, and the worst finding on the edge (error or warning).
 * Labels are SVG text with a halo in the editor background, so they stay readable over other edges. Under the
 * label of an https or mtls edge: the last rehearsal's badge ("✓ 4/4", "✗ 1 of 4 failed") and the certificate
 * expiry badge, each with its tooltip (an SVG title), both hit by the pointer so that the tooltip shows.
 */
import { BaseEdge, type EdgeProps } from '@xyflow/react';
import { createContext, memo, useContext } from 'react';
import type { ArchFlowEdge } from './graph.js';
import { edgeGeometry, edgePathData, labelDrawn } from './edge-path.js';
import { iconId } from './icons.js';
import type { Route } from './layout/architecture.js';
import type { PlacedRoute } from './layout/route.js';

/**
 * The routes of the last automatic layout (ELK's bend points and label places). An edge follows its route while
 * both its ends are still where the layout put them; after a move it falls back to a step path.
 */
export const RoutesContext = createContext<ReadonlyMap<string, Route> | undefined>(undefined);

/**
 * Routes of every drawn edge around the nodes and containers as they are drawn now (layout/route.ts, made by
 * containers/use-network.ts): what an edge follows when it has no ELK route that fits.
 */
export const SceneRoutesContext = createContext<ReadonlyMap<string, PlacedRoute> | undefined>(undefined);

/**
 * The path of an edge (with its arrowhead) and its label's centre, as edge-path.ts chooses it (the exports draw
 * the same): ELK's route when it still fits the ends, else the route around what is drawn now, else a step path.
 */
function useEdgePath(props: EdgeProps): [string, number, number] {
  const routes = useContext(RoutesContext);
  const scene = useContext(SceneRoutesContext);
  const g = edgeGeometry(props, routes, scene);
  return [edgePathData(g), g.label.x, g.label.y];
}

const LINE_HEIGHT = 13;
/** Average advance of a character of the label font, to centre the lock before the first line. */
const CHAR_WIDTH = 6.2;

function edgeClass(props: EdgeProps<ArchFlowEdge>, family: string): string {
  const d = props.data;
  return ['gwc-edge', `gwc-edge--${family}`, d ? `gwc-edge--${d.edgeType}` : '', d?.severity ? `gwc-edge--${d.severity}` : '', props.selected ? 'gwc-edge--selected' : '']
    .filter(Boolean)
    .join(' ');
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
  // Only the protocol is drawn (with the lock of a TLS edge); the certificate, CA, endpoint and zone are in the
  // edge's tooltip and the inspector, so labels stay short and do not cover each other.
  const shown = lines.slice(0, 1);
  if (shown.length === 0) return null;
  const top = 0;
  const firstWidth = shown[0]!.length * CHAR_WIDTH;
  return (
    <g className={`gwc-edge-label gwc-edge-label--${kind}${severity ? ` gwc-edge-label--${severity}` : ''}`} transform={`translate(${x} ${y})`} data-testid={testId}>
      {lock ? <use href={`#${iconId('lock')}`} className="gwc-edge-label__lock" x={-firstWidth / 2 - 15} y={top - 9} width={12} height={12} /> : null}
      <text textAnchor="middle">
        {shown.map((line, i) => (
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
  const [path, labelX, labelY] = useEdgePath(props);
  const d = props.data;
  return (
    <>
      {d ? <title>{d.description}</title> : null}
      <BaseEdge path={path} className={edgeClass(props, 'tls')} interactionWidth={16} />
      {d ? <EdgeLabel x={labelX} y={labelY} lines={d.lines} lock={d.lock} testId={`edge-label-${d.edgeId}`} kind={d.edgeType} severity={d.severity} /> : null}
      {d ? <EdgeBadges x={labelX} y={labelY} lines={Math.min(1, d.lines.length)} data={d} /> : null}
    </>
  );
}

function PrivateLinkEdgeView(props: EdgeProps<ArchFlowEdge>) {
  const [path, labelX, labelY] = useEdgePath(props);
  const d = props.data;
  return (
    <>
      {d ? <title>{d.description}</title> : null}
      <BaseEdge path={path} className={edgeClass(props, 'privateLink')} interactionWidth={16} />
      {/* Drawn to its private endpoint, the endpoint node says what it is: no label to crowd the subnet. */}
      {d && labelDrawn('privateLink', props.target) ? (
        <EdgeLabel x={labelX} y={labelY} lines={d.lines} lock={false} testId={`edge-label-${d.edgeId}`} kind={d.edgeType} severity={d.severity} />
      ) : null}
    </>
  );
}

function ControlEdgeView(props: EdgeProps<ArchFlowEdge>) {
  const [path] = useEdgePath(props);
  return (
    <>
      {props.data ? <title>{props.data.description}</title> : null}
      <BaseEdge path={path} className={edgeClass(props, 'control')} interactionWidth={12} />
    </>
  );
}

function PlainEdgeView(props: EdgeProps<ArchFlowEdge>) {
  const [path] = useEdgePath(props);
  return (
    <>
      {props.data ? <title>{props.data.description}</title> : null}
      <BaseEdge path={path} className={edgeClass(props, 'plain')} interactionWidth={12} />
    </>
  );
}

/** The line from a private endpoint to its service (derived, not an edge of the design). */
function EndpointLinkView(props: EdgeProps) {
  const [path] = useEdgePath(props);
  return <BaseEdge path={path} className="gwc-edge gwc-edge--endpoint" interactionWidth={0} />;
}

/** Module scope, so React Flow never sees a new object. */
export const EDGE_TYPES_MAP = {
  endpoint: memo(EndpointLinkView),
  tls: memo(TlsEdgeView),
  privateLink: memo(PrivateLinkEdgeView),
  control: memo(ControlEdgeView),
  plain: memo(PlainEdgeView),
};
