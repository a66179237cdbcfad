/**
 * The containers and private endpoints of the canvas (see network.ts): derived from the design, never saved.
 * A container is a title band (Azure name and prefix) over a tinted box; only the title band takes the pointer,
 * so the nodes, edges and the pane under the box stay reachable. The network's title band is the design's
 * virtualNetwork node when there is one (selectable, with its finding badges and its diagnostics edge's handle).
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';

export interface ContainerData extends Record<string, unknown> {
  readonly kind: 'vnet' | 'subnet';
  readonly title: string;
  readonly detail: string;
  /** The design node drawn as this container (the virtualNetwork node), if any. */
  readonly nodeId: string | undefined;
  readonly errors: number;
  readonly warnings: number;
  readonly tooltip: string;
}

export interface EndpointData extends Record<string, unknown> {
  readonly target: string;
  readonly name: string;
  readonly zone: string;
}

export type ContainerFlowNode = Node<ContainerData, 'container'>;
export type EndpointFlowNode = Node<EndpointData, 'endpoint'>;

function ContainerView({ data, id }: NodeProps<ContainerFlowNode>) {
  return (
    <>
      {data.nodeId ? <Handle type="target" position={Position.Left} className="gwc-handle" aria-label={`Connect to ${data.nodeId}`} /> : null}
    <div className={`gwc-container__title gwc-container__title--${data.kind}`} data-testid={`container-${id}`} title={data.tooltip}>
      <span className="gwc-container__name" {...(data.nodeId ? { 'data-testid': `node-${data.nodeId}`, 'data-node-type': 'virtualNetwork' } : {})}>
        {data.title}
      </span>
      {data.detail ? <span className="gwc-container__detail">{data.detail}</span> : null}
      {data.errors > 0 ? <span className="gwc-badge gwc-badge--error">{data.errors}</span> : null}
      {data.warnings > 0 ? <span className="gwc-badge gwc-badge--warning">{data.warnings}</span> : null}
    </div>
      {data.nodeId ? <Handle type="source" position={Position.Right} className="gwc-handle" aria-label={`Connect from ${data.nodeId}`} /> : null}
    </>
  );
}

function EndpointView({ data, id }: NodeProps<EndpointFlowNode>) {
  return (
    <>
      <Handle type="target" position={Position.Left} className="gwc-handle" isConnectable={false} />
      <div className="gwc-endpoint__text" data-testid={`endpoint-${id}`} title={`Private endpoint ${data.name} for ${data.target}${data.zone ? `, private DNS zone ${data.zone}` : ''}`}>
        <div className="gwc-endpoint__title">Private endpoint</div>
        <div className="gwc-endpoint__name">{data.name}</div>
      </div>
      <Handle type="source" position={Position.Right} className="gwc-handle" isConnectable={false} />
    </>
  );
}

export const ContainerNode = memo(ContainerView);
export const EndpointNode = memo(EndpointView);
