/** Delete, copy, paste and select all: the edits of the selection, with the clipboard kept between pastes. */
import { useCallback, useMemo, useRef } from 'react';
import type { Position } from '../../schemas/design.js';
import { copySelection, deleteOperations, pasteOperations, type ClipboardData } from '../intents.js';
import type { Store } from '../store.js';
import type { Host } from './use-host.js';

export interface CanvasClipboard {
  deleteSelection(): void;
  /** Copies the selected nodes (with the edges between them); undefined when nothing is selected. */
  copy(): ClipboardData | undefined;
  paste(clip: ClipboardData | undefined): void;
  /** The last copy, or what was pasted from the system clipboard. */
  current(): ClipboardData | undefined;
  /** Makes `clip` the current clipboard (pasted from outside), so that the next pastes step from it. */
  adopt(clip: ClipboardData): void;
  selectAll(): void;
}

export function useCanvasClipboard(
  store: Store,
  host: Host,
  drawnPositions: () => Map<string, Position>,
  viewCentre: () => Position,
  selectWhenPresent: (ids: string[]) => void,
): CanvasClipboard {
  const { send, announce } = host;
  const clipboard = useRef<ClipboardData | undefined>(undefined);
  const pasteCount = useRef(0);

  const deleteSelection = useCallback(() => {
    const st = store.getState();
    if (st.problem || !st.design) return;
    const d = deleteOperations(st.design, st.selection);
    if (!d) return;
    send(d.ops, d.label);
    store.dispatch({ type: 'select', selection: [] });
    announce(`${d.label}.`);
  }, [store, send, announce]);

  const copy = useCallback((): ClipboardData | undefined => {
    const st = store.getState();
    if (!st.design) return undefined;
    const ids = st.selection.filter((s) => s.kind === 'node').map((s) => s.id);
    const clip = copySelection(st.design, ids, drawnPositions());
    if (!clip) return undefined;
    clipboard.current = clip;
    pasteCount.current = 0;
    announce(`Copied ${clip.nodes.length} node${clip.nodes.length === 1 ? '' : 's'}.`);
    return clip;
  }, [store, drawnPositions, announce]);

  const paste = useCallback(
    (clip: ClipboardData | undefined) => {
      const st = store.getState();
      if (!clip || st.problem || !st.design) return;
      pasteCount.current += 1;
      const step = 40 * pasteCount.current;
      const p = pasteOperations(clip, st.design, { x: step, y: step }, viewCentre());
      selectWhenPresent(p.ids);
      send(p.ops, p.label);
      announce(`${p.label}.`);
    },
    [store, send, viewCentre, announce, selectWhenPresent],
  );

  const current = useCallback(() => clipboard.current, []);
  const adopt = useCallback((clip: ClipboardData) => {
    if (clip === clipboard.current) return;
    clipboard.current = clip;
    pasteCount.current = 0;
  }, []);

  const selectAll = useCallback(() => {
    const d = store.getState().design;
    if (d) store.dispatch({ type: 'select', selection: d.nodes.map((n) => ({ kind: 'node' as const, id: n.id })) });
  }, [store]);

  // One object for as long as its functions stay the same: the keyboard handler subscribes once.
  return useMemo(() => ({ deleteSelection, copy, paste, current, adopt, selectAll }), [deleteSelection, copy, paste, current, adopt, selectAll]);
}
