/**
 * The further boxes of containers whose members sit apart (network.ts partBoxes), drawn in one layer inside React
 * Flow's viewport (its viewport portal element, so they pan and zoom with the nodes) instead of as React Flow nodes. A part
 * holds nothing and is neither selectable, connectable nor focusable, so React Flow has no use for it, while every
 * node it holds costs on every drag frame: its store runs per-node selectors and adopts the whole node array on
 * each move. A design on a grid has hundreds of parts (issue #14 item 6: the drag frame within 1.5x of bare React
 * Flow).
 *
 * It is rendered into React Flow's viewport portal element (the element @xyflow/react's ViewportPortal renders
 * into), found once per React Flow instance: ViewportPortal looks it up with a querySelector in a store selector,
 * which runs on every store update (every drag frame) and walks the whole drawing, since the portal comes last.
 *
 * The layer looks like the container nodes (the same classes: a subnet's dashed border, the title band with the name,
 * the address range and the tooltip) and lies under the edges and nodes: the portal comes after the nodes in the
 * DOM, so the layer takes z-index -1 in the viewport's stacking context (styles.css, .gwc-parts). It re-renders only
 * when the parts change (the hook hands the same array while no part's box or text does, a drag included), and a
 * part only when its own box or text does.
 */
import { useStore, type ReactFlowState } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { createPortal } from 'react-dom';
import { TEST_IDS } from '../test-ids.js';
import type { PartBox } from './network.js';

function PartView({ part }: { part: PartBox }) {
  const { rect } = part;
  return (
    <div
      className={`gwc-container gwc-container--${part.kind} gwc-part`}
      data-id={part.id}
      role="group"
      aria-label={part.ariaLabel}
      style={{ transform: `translate(${rect.x}px, ${rect.y}px)`, width: rect.width, height: rect.height }}
    >
      <div className={`gwc-container__title gwc-container__title--${part.kind}`} data-testid={`container-${part.id}`} title={part.tooltip}>
        <span className="gwc-container__name">{part.title}</span>
        {part.detail ? <span className="gwc-container__detail">{part.detail}</span> : null}
      </div>
    </div>
  );
}

const Part = memo(PartView);

const domNodeOf = (s: ReactFlowState) => s.domNode;

function PartsLayerView({ parts }: { parts: readonly PartBox[] }) {
  const domNode = useStore(domNodeOf);
  const portal = useMemo(() => domNode?.querySelector('.react-flow__viewport-portal') ?? undefined, [domNode]);
  if (parts.length === 0 || !portal) return null;
  return createPortal(
    <div className="gwc-parts" data-testid={TEST_IDS.containerParts}>
      {parts.map((p) => (
        <Part key={p.id} part={p} />
      ))}
    </div>,
    portal,
  );
}

export const PartsLayer = memo(PartsLayerView);
