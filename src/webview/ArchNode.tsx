/**
 * The one node component of the canvas: title, type and key settings, finding badges, and the two connection
 * handles (target on the left, source on the right). The box itself, its icon (a background image), its
 * severity color and its selection outline are React Flow's node element, styled through the node's
 * className (graph.ts), so a node is as few elements as possible: a large diagram has thousands.
 * Memoized; it reads nothing but its props, so dragging one node renders only that node. Texts are shortened
 * beforehand (graph.ts, text-fit.ts) rather than clipped with CSS: every `overflow: hidden` is a clip the
 * browser composites again on every frame, for every node.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ArchFlowNode } from './graph.js';

function ArchNodeView({ data }: NodeProps<ArchFlowNode>) {
  return (
    <>
      <Handle type="target" position={Position.Left} className="gwc-handle" aria-label={`Connect to ${data.id}`} />
      <div className="gwc-node__text" data-testid={`node-${data.id}`} data-node-type={data.nodeType} title={data.tooltip}>
        <div className="gwc-node__title">{data.shortTitle}</div>
        <div className="gwc-node__type">{data.subtitle}</div>
        {data.settings ? <div className="gwc-node__settings">{data.shortSettings}</div> : null}
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
      <Handle type="source" position={Position.Right} className="gwc-handle" aria-label={`Connect from ${data.id}`} />
    </>
  );
}

export const ArchNode = memo(ArchNodeView);

/** Module scope, so React Flow never sees a new object. */
export const NODE_TYPES_MAP = { arch: ArchNode };
