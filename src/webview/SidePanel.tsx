/**
 * The right side area: tabs for the Inspector, the Certificates panel and the Findings panel (written in
 * src/webview/panels/, against PanelProps). Keyboard: arrow keys move between tabs (WAI-ARIA tabs pattern).
 */
import { memo, useRef, type KeyboardEvent } from 'react';
import CertificatesPanel from './panels/CertificatesPanel.js';
import FindingsPanel from './panels/FindingsPanel.js';
import Inspector from './panels/Inspector.js';
import type { PanelProps } from './panels/types.js';
import { TEST_IDS } from './test-ids.js';

export type SideTab = 'inspector' | 'certificates' | 'findings';

export const SIDE_TABS: readonly SideTab[] = ['inspector', 'certificates', 'findings'];

const TITLES: Readonly<Record<SideTab, string>> = { inspector: 'Inspector', certificates: 'Certificates', findings: 'Findings' };

export interface SidePanelProps {
  readonly tab: SideTab;
  onTab(tab: SideTab): void;
  /** Undefined until a design arrived. */
  readonly panel: PanelProps | undefined;
  /** Errors and warnings of the current text, shown on the Findings tab. */
  readonly problemCount: number;
}

function SidePanelView({ tab, onTab, panel, problemCount }: SidePanelProps) {
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const i = SIDE_TABS.indexOf(tab);
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = (i + 1) % SIDE_TABS.length;
    else if (event.key === 'ArrowLeft') next = (i - 1 + SIDE_TABS.length) % SIDE_TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = SIDE_TABS.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    onTab(SIDE_TABS[next]!);
    tabs.current[next]?.focus();
  };
  return (
    <aside className="gwc-side" id="gwc-side" aria-label="Details" data-testid={TEST_IDS.sidePanel}>
      <div className="gwc-tabs" role="tablist" aria-label="Details" onKeyDown={onKeyDown}>
        {SIDE_TABS.map((t, i) => (
          <button
            key={t}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`gwc-tab-${t}`}
            className={`gwc-tab${t === tab ? ' gwc-tab--active' : ''}`}
            aria-selected={t === tab}
            aria-controls={`gwc-tabpanel-${t}`}
            tabIndex={t === tab ? 0 : -1}
            data-testid={`tab-${t}`}
            onClick={() => onTab(t)}
          >
            {TITLES[t]}
            {t === 'findings' && problemCount > 0 ? <span className="gwc-tab__count">{problemCount}</span> : null}
          </button>
        ))}
      </div>
      <div className="gwc-tabpanel" role="tabpanel" id={`gwc-tabpanel-${tab}`} aria-labelledby={`gwc-tab-${tab}`} data-testid={`panel-${tab}`}>
        {panel ? (
          tab === 'inspector' ? (
            <Inspector {...panel} />
          ) : tab === 'certificates' ? (
            <CertificatesPanel {...panel} />
          ) : (
            <FindingsPanel {...panel} />
          )
        ) : (
          <p className="gwc-side__empty">No design to show yet.</p>
        )}
      </div>
    </aside>
  );
}

export const SidePanel = memo(SidePanelView);
