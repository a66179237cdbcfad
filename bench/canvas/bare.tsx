/**
 * Bare React Flow, the baseline of the canvas benchmark: the same nodes (at the same positions) and edges as the
 * designer draws, with React Flow's default nodes and edges and the chrome of the library's own stress example
 * (background, minimap, controls), controlled through useNodesState / useEdgesState as its examples do.
 * Bundled by bench/canvas/run.ts with esbuild; the page calls window.bareFlow.render(input).
 */
import { Background, Controls, MiniMap, ReactFlow, useEdgesState, useNodesState, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { createRoot } from 'react-dom/client';

export interface BareInput {
  readonly nodes: readonly { id: string; label: string; x: number; y: number }[];
  readonly edges: readonly { id: string; source: string; target: string }[];
}

function Flow({ input }: { input: BareInput }) {
  const [nodes, , onNodesChange] = useNodesState<Node>(
    input.nodes.map((n) => ({ id: n.id, position: { x: n.x, y: n.y }, data: { label: n.label } })),
  );
  const [edges, , onEdgesChange] = useEdgesState<Edge>(input.edges.map((e) => ({ ...e })));
  return (
    <ReactFlow nodes={nodes} edges={edges} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} fitView minZoom={0.02}>
      <Background />
      <MiniMap />
      <Controls />
    </ReactFlow>
  );
}

(window as unknown as { bareFlow: { render(input: BareInput): void } }).bareFlow = {
  render(input) {
    createRoot(document.getElementById('root')!).render(<Flow input={input} />);
  },
};
