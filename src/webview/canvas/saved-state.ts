/** What VS Code keeps for the designer webview while it is hidden: the viewport, the side tab, the control-plane and minimap toggles. */
import type { Viewport } from '@xyflow/react';
import type { Channel } from '../channel.js';
import { SIDE_TABS, type SideTab } from '../SidePanel.js';

export interface SavedState {
  viewport?: Viewport;
  tab?: SideTab;
  hideControlPlane?: boolean;
  /** Whether the minimap is shown. */
  miniMap?: boolean;
}

/** The saved state, keeping only what is well-formed (the state survives extension updates). */
export function readSaved(value: unknown): SavedState {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const out: SavedState = {};
  const vp = v.viewport as Viewport | undefined;
  if (vp && [vp.x, vp.y, vp.zoom].every((n) => typeof n === 'number' && Number.isFinite(n))) out.viewport = vp;
  if (typeof v.tab === 'string' && (SIDE_TABS as readonly string[]).includes(v.tab)) out.tab = v.tab as SideTab;
  if (typeof v.hideControlPlane === 'boolean') out.hideControlPlane = v.hideControlPlane;
  if (typeof v.miniMap === 'boolean') out.miniMap = v.miniMap;
  return out;
}

/** Saves one more piece of view state next to what is already saved. */
export function saveView(channel: Channel, change: SavedState): void {
  channel.setState({ ...readSaved(channel.getState()), ...change });
}
