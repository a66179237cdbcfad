/**
 * The one node component of the canvas: icon, title, type and key settings, finding badges, and the two
 * connection handles (target on the left, source on the right). Memoized; it reads nothing but its props,
 * so dragging one node renders only that node.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ArchFlowNode } from './graph.js';
import { Icon } from './icons.js';

function ArchNodeView({ data, selected }: NodeProps<ArchFlowNode>) {
  const severity = data.errors > 0 ? 'error' : data.warnings > 0 ? 'warning' : 'ok';
  return (
    <div className={`gwc-node gwc-node--${severity}${selected ? ' gwc-node--selected' : ''}`} data-testid={`node-${data.id}`} data-node-type={data.nodeType}>
      <Handle type="target" position={Position.Left} className="gwc-handle" aria-label={`Connect to ${data.id}`} />
      <Icon name={data.nodeType} className="gwc-node__icon" />
      <div className="gwc-node__text">
        <div className="gwc-node__title" title={data.title}>
          {data.title}
        </div>
        <div className="gwc-node__type">
          {data.typeTitle}
          {data.title !== data.id ? <span className="gwc-node__id"> · {data.id}</span> : null}
        </div>
        {data.settings ? <div className="gwc-node__settings">{data.settings}</div> : null}
      </div>
      {data.errors > 0 || data.warnings > 0 ? (
        <div className="gwc-node__badges" aria-hidden="true">
          {data.errors > 0 ? (
            <span className="gwc-badge gwc-badge--error" data-testid={`node-${data.id}-errors`} title={`${data.errors} error${data.errors === 1 ? '' : 's'}`}>
              {data.errors}
            </span>
          ) : null}
          {data.warnings > 0 ? (
            <span className="gwc-badge gwc-badge--warning" data-testid={`node-${data.id}-warnings`} title={`${data.warnings} warning${data.warnings === 1 ? '' : 's'}`}>
              {data.warnings}
            </span>
          ) : null}
        </div>
      ) : null}
      <Handle type="source" position={Position.Right} className="gwc-handle" aria-label={`Connect from ${data.id}`} />
    </div>
  );
}

export const ArchNode = memo(ArchNodeView);

/** Module scope, so React Flow never sees a new object. */
export const NODE_TYPES_MAP = { arch: ArchNode };
