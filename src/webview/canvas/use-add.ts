/** Adding nodes: from the palette (Enter: at the centre of the view, on a free spot) or dropped onto the canvas. */
import { useReactFlow } from '@xyflow/react';
import { useCallback, type DragEvent } from 'react';
import { NODE_TYPES, type NodeType, type Position } from '../../schemas/design.js';
import { keepingTheChange } from '../../model/saving.js';
import { NODE_CATALOG } from '../catalog.js';
import { NODE_HEIGHT, NODE_WIDTH, type ArchFlowEdge, type ArchFlowNode } from '../graph.js';
import { addNodeOperation, freeSpot } from '../intents.js';
import { NODE_TYPE_MIME } from '../Palette.js';
import type { Store } from '../store.js';
import type { Host } from './use-host.js';

function isNodeType(value: string): value is NodeType {
  return (NODE_TYPES as readonly string[]).includes(value);
}

export interface CanvasAdd {
  addAtCentre(type: NodeType): void;
  onDragOver(event: DragEvent<HTMLDivElement>): void;
  onDrop(event: DragEvent<HTMLDivElement>): void;
}

export function useCanvasAdd(
  store: Store,
  host: Host,
  readOnly: boolean,
  selectWhenPresent: (ids: string[]) => void,
  viewCentre: () => Position,
  drawnPositions: () => Map<string, Position>,
): CanvasAdd {
  const flow = useReactFlow<ArchFlowNode, ArchFlowEdge>();
  const { send, announce } = host;
  const addNode = useCallback(
    (type: NodeType, position: Position) => {
      const st = store.getState();
      if (st.problem || !st.design) return;
      const { op, id, label } = addNodeOperation(st.design, type, position);
      selectWhenPresent([id]);
      send([op], label);
      announce(`Added ${NODE_CATALOG[type].title} "${id}"; ${keepingTheChange(st.autoSave)}.`);
    },
    [store, send, announce, selectWhenPresent],
  );

  const addAtCentre = useCallback(
    (type: NodeType) => {
      const c = viewCentre();
      addNode(type, freeSpot({ x: c.x - NODE_WIDTH / 2, y: c.y - NODE_HEIGHT / 2 }, drawnPositions().values()));
    },
    [viewCentre, addNode, drawnPositions],
  );

  const onDragOver = useCallback(
    (event: DragEvent<HTMLDivElement>) => {
      if (!event.dataTransfer.types.includes(NODE_TYPE_MIME)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = readOnly ? 'none' : 'copy';
    },
    [readOnly],
  );

  const onDrop = useCallback(
    (event: DragEvent<HTMLDivElement>) => {
      const type = event.dataTransfer.getData(NODE_TYPE_MIME);
      if (!isNodeType(type)) return;
      event.preventDefault();
      const p = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNode(type, { x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2 });
    },
    [flow, addNode],
  );

  return { addAtCentre, onDragOver, onDrop };
}
