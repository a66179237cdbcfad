/**
 * Connecting nodes: by dragging from a handle (only where the model allows an edge), or with the keyboard (C, or the
 * toolbar: pick the target in a menu). When several edge types fit, or an mTLS edge needs its client certificate,
 * a menu asks.
 */
import { useReactFlow, type Connection, type FinalConnectionState, type OnConnectEnd } from '@xyflow/react';
import { useCallback, useRef, useState } from 'react';
import type { Design, EdgeType } from '../../schemas/design.js';
import { EDGE_CATALOG } from '../catalog.js';
import type { PendingConnection } from '../ConnectMenu.js';
import { connectIndex, connectionChoice, connectOperations, type CertificateChoice } from '../connect.js';
import { NODE_HEIGHT, type ArchFlowEdge, type ArchFlowNode } from '../graph.js';
import type { Store } from '../store.js';
import type { Host } from './use-host.js';

export interface CanvasConnect {
  /**
   * What connects to what in the drawn design, computed when first asked after the design changed: a gesture that
   * is no connection (an add, a property) does not pay for it (tens of ms at 1,000 nodes).
   */
  index(): ReturnType<typeof connectIndex>;
  /** The connection waiting for its edge type or client certificate. */
  readonly pendingConnection: PendingConnection | null;
  cancelPending(): void;
  /** The node being connected with the keyboard, and where its target menu opens. */
  readonly connectFrom: { from: string; anchor: { x: number; y: number } } | null;
  cancelConnectFrom(): void;
  isValidConnection(c: { source: string | null; target: string | null }): boolean;
  doConnect(from: string, to: string, type: EdgeType, certificate?: CertificateChoice): void;
  onConnect(c: Connection): void;
  onConnectEnd: OnConnectEnd;
  /** Starts connecting the selected node (or the focused one); false when there is not exactly one. */
  startConnect(focusedId?: string): boolean;
}

export function useCanvasConnect(store: Store, host: Host, design: Design | null): CanvasConnect {
  const flow = useReactFlow<ArchFlowNode, ArchFlowEdge>();
  const { send, announce } = host;
  const [pendingConnection, setPendingConnection] = useState<PendingConnection | null>(null);
  const [connectFrom, setConnectFrom] = useState<{ from: string; anchor: { x: number; y: number } } | null>(null);

  const designRef = useRef(design);
  designRef.current = design;
  const built = useRef<{ design: Design | null; index: ReturnType<typeof connectIndex> } | undefined>(undefined);
  const index = useCallback(() => {
    const d = designRef.current;
    if (built.current?.design !== d) built.current = { design: d, index: connectIndex(d) };
    return built.current.index;
  }, []);

  const isValidConnection = useCallback(
    (c: { source: string | null; target: string | null }) => !store.getState().problem && connectionChoice(index(), c.source, c.target).kind !== 'invalid',
    [store],
  );

  const doConnect = useCallback(
    (from: string, to: string, type: EdgeType, certificate?: CertificateChoice) => {
      setPendingConnection(null);
      const d = store.getState().design;
      if (!d) return;
      const ops = connectOperations(d, from, to, type, certificate);
      send(ops, `Connect ${from} → ${to} (${EDGE_CATALOG[type].title})`);
      announce(`Connected ${from} to ${to} with ${EDGE_CATALOG[type].title}${certificate ? ` (client certificate ${certificate.kind === 'new' ? certificate.certificate.id : certificate.id})` : ''}.`);
    },
    [store, send, announce],
  );

  const anchorOf = useCallback(
    (id: string) => {
      const n = flow.getInternalNode(id);
      if (!n) return { x: 120, y: 120 };
      return flow.flowToScreenPosition({ x: n.internals.positionAbsolute.x, y: n.internals.positionAbsolute.y + (n.measured.height ?? NODE_HEIGHT) + 8 });
    },
    [flow],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const choice = connectionChoice(index(), c.source, c.target);
      if (choice.kind === 'invalid') {
        announce(`Cannot connect: ${choice.reason}.`);
        return;
      }
      if (choice.kind === 'one' && choice.type !== 'mtls') {
        doConnect(c.source, c.target, choice.type);
        return;
      }
      setPendingConnection({ from: c.source, to: c.target, types: choice.kind === 'one' ? [choice.type] : choice.types, anchor: anchorOf(c.target) });
    },
    [announce, doConnect, anchorOf],
  );

  const startConnect = useCallback(
    (focusedId?: string) => {
      const st = store.getState();
      if (st.problem || !st.design) return false;
      const nodesSelected = st.selection.filter((x) => x.kind === 'node');
      const from = nodesSelected.length === 1 ? nodesSelected[0]!.id : nodesSelected.length === 0 ? focusedId : undefined;
      if (!from) {
        announce('Select one node to connect it.');
        return false;
      }
      setConnectFrom({ from, anchor: anchorOf(from) });
      return true;
    },
    [store, announce, anchorOf],
  );

  const onConnectEnd: OnConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromNode || !state.toNode || state.fromNode.id === state.toNode.id) return;
      const choice = connectionChoice(index(), state.fromNode.id, state.toNode.id);
      if (choice.kind === 'invalid') announce(`Cannot connect ${state.fromNode.id} to ${state.toNode.id}: ${choice.reason}.`);
    },
    [announce],
  );

  const cancelPending = useCallback(() => setPendingConnection(null), []);
  const cancelConnectFrom = useCallback(() => setConnectFrom(null), []);

  return { index, pendingConnection, cancelPending, connectFrom, cancelConnectFrom, isValidConnection, doConnect, onConnect, onConnectEnd, startConnect };
}
