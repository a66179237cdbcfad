/**
 * The one node component of the canvas: title, type and key settings, finding badges, and the two connection
 * handles (target on the left, source on the right), and the overlays the host draws over it: a deployment
 * marker above its top left corner (what-if's change, or its state while deploying) and a certificate expiry
 * badge on its bottom edge, and the verdict of a traced request path above its top right corner, each a symbol and
 * words besides a color. The box itself, its icon (a background image), its
 * severity color and its selection outline are React Flow's node element, styled through the node's
 * className (graph.ts), so a node is as few elements as possible: a large diagram has thousands.
 * Memoized; it reads nothing but its props, so dragging one node renders only that node. Texts are drawn in full
 * and wrap inside the node's width (the node grows in height), never cut off with an ellipsis nor clipped with
 * `overflow: hidden` (a clip the browser composites again on every frame, for every node).
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ArchFlowNode, ArchNodeData } from './graph.js';

/** The line under a node's title: its type, and its id when the title is not the id. */
export function nodeTypeLine(data: ArchNodeData): string {
  return data.title !== data.id ? `${data.typeTitle} · ${data.id}` : data.typeTitle;
}

function ArchNodeView({ data }: NodeProps<ArchFlowNode>) {
  return (
    <>
      <Handle type="target" position={Position.Left} className="gwc-handle" aria-label={`Connect to ${data.id}`} />
      <div className="gwc-node__text" data-testid={`node-${data.id}`} data-node-type={data.nodeType} title={data.tooltip}>
        <div className="gwc-node__title">{data.title}</div>
        <div className="gwc-node__type">{nodeTypeLine(data)}</div>
        {data.settings ? <div className="gwc-node__settings">{data.settings}</div> : null}
      </div>
      {data.errors > 0 || data.warnings > 0 ? (
        <div className="gwc-node__badges" aria-hidden="true">
          {data.errors > 0 ? (
            <span className="gwc-badge gwc-badge--error" data-testid={`node-${data.id}-errors`}>
              {data.errors}
            </span>
          ) : null}
          {data.warnings > 0 ? (
            <span className="gwc-badge gwc-badge--warning" data-testid={`node-${data.id}-warnings`}>
              {data.warnings}
            </span>
          ) : null}
        </div>
      ) : null}
      {data.deploy ? (
        <div className={`gwc-marker gwc-marker--${data.deploy}`} data-testid={`node-${data.id}-deployment`} data-kind={data.deploy} title={data.deployTitle} aria-hidden="true">
          <span className="gwc-marker__symbol">{data.deploySymbol}</span> {data.deployLabel}
        </div>
      ) : null}
      {data.expiry ? (
        <div className={`gwc-expiry gwc-expiry--${data.expiry}`} data-testid={`node-${data.id}-expiry`} data-status={data.expiry} title={data.expiryTitle} aria-hidden="true">
          {data.expiryText}
        </div>
      ) : null}
      {data.trace ? (
        <div className={`gwc-trace gwc-trace--${data.trace}`} data-testid={`node-${data.id}-trace`} data-verdict={data.trace} title={data.traceTitle} aria-hidden="true">
          {data.traceText}
        </div>
      ) : null}
      <Handle type="source" position={Position.Right} className="gwc-handle" aria-label={`Connect from ${data.id}`} />
    </>
  );
}

export const ArchNode = memo(ArchNodeView);

/** Module scope, so React Flow never sees a new object. */
export const NODE_TYPES_MAP = { arch: ArchNode };
