/**
 * One keyboard handler for the canvas (capture phase, so that React Flow's own arrow-key move of 5px never runs):
 * only when the focus is on the canvas or nowhere (body), never in a panel's field. Also the copy and paste events
 * VS Code turns Ctrl+C / Ctrl+V into.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { parseClipboard } from '../intents.js';
import type { Store } from '../store.js';
import type { CanvasClipboard } from './use-clipboard.js';

const ARROWS: Readonly<Record<string, readonly [number, number]>> = {
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
};

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) return true;
  // Web components of @vscode-elements (text fields, selects) keep their input in a shadow root.
  return target.tagName.startsWith('VSCODE-') && !target.tagName.startsWith('VSCODE-BUTTON');
}

const focusedNodeId = (target: EventTarget | null): string | undefined =>
  target instanceof Element ? (target.closest('.react-flow__node')?.getAttribute('data-id') ?? undefined) : undefined;

export interface KeyboardActions {
  moveByKeys(dx: number, dy: number, focusedId: string | undefined): boolean;
  startConnect(focusedId?: string): boolean;
  readonly clipboard: CanvasClipboard;
}

export function useCanvasKeyboard(store: Store, canvasRef: RefObject<HTMLDivElement | null>, actions: KeyboardActions): void {
  const { moveByKeys, startConnect, clipboard } = actions;
  const lastClipboardKey = useRef(0);
  useEffect(() => {
    const onCanvas = (target: EventTarget | null) =>
      target === document.body || target === document.documentElement || (target instanceof Node && !!canvasRef.current?.contains(target) && !isEditable(target));
    const onKeyDown = (e: KeyboardEvent) => {
      if (!onCanvas(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const arrow = ARROWS[e.key];
      if (arrow && !mod && !e.altKey) {
        const step = e.shiftKey ? 50 : 10;
        if (moveByKeys(arrow[0] * step, arrow[1] * step, focusedNodeId(e.target))) {
          e.preventDefault();
          e.stopPropagation();
        }
        return;
      }
      if ((e.key === 'Delete' || e.key === 'Backspace') && !mod) {
        e.preventDefault();
        clipboard.deleteSelection();
        return;
      }
      if (e.key === 'Escape') {
        store.dispatch({ type: 'select', selection: [] });
        return;
      }
      if ((e.key === 'c' || e.key === 'C') && !mod && !e.altKey && !e.shiftKey) {
        if (startConnect(focusedNodeId(e.target))) e.preventDefault();
        return;
      }
      if (!mod || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === 'c') {
        const clip = clipboard.copy();
        if (clip) {
          e.preventDefault();
          lastClipboardKey.current = Date.now();
          navigator.clipboard?.writeText(JSON.stringify(clip)).catch(() => undefined);
        }
      } else if (key === 'v') {
        e.preventDefault();
        lastClipboardKey.current = Date.now();
        clipboard.paste(clipboard.current());
      } else if (key === 'a') {
        e.preventDefault();
        clipboard.selectAll();
      }
    };
    const onCopy = (e: ClipboardEvent) => {
      if (Date.now() - lastClipboardKey.current < 500 || !onCanvas(e.target)) return;
      const clip = clipboard.copy();
      if (clip && e.clipboardData) {
        e.clipboardData.setData('text/plain', JSON.stringify(clip));
        e.preventDefault();
      }
    };
    const onPaste = (e: ClipboardEvent) => {
      if (Date.now() - lastClipboardKey.current < 500 || !onCanvas(e.target)) return;
      const text = e.clipboardData?.getData('text/plain');
      const clip = (text ? parseClipboard(text) : undefined) ?? clipboard.current();
      if (!clip) return;
      e.preventDefault();
      clipboard.adopt(clip);
      clipboard.paste(clip);
    };
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [store, canvasRef, moveByKeys, startConnect, clipboard]);
}
