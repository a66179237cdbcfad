/**
 * The toolbar above the canvas: view (fit, zoom), automatic layout, and the Gatewright commands the host
 * runs on this design (export, open as text, generate, validate; then development certificates, rehearsal,
 * what-if, deploy and the deployment history, whose results the host draws over the canvas).
 *
 * It is one row at every editor width: the actions keep their order and the ones that do not fit move, from the
 * end, into an overflow menu behind "…" (a menu button: Enter, Space or ArrowDown opens it on its first item,
 * ArrowUp on its last; arrows, Home and End move; Escape closes it and gives focus back to "…"). What fits is
 * measured, not set by breakpoints: every action is laid out once more, unseen, in one row, and a ResizeObserver
 * recounts when the toolbar, the findings summary or an action changes size (toolbar-fit.ts).
 *
 * An action carries its test id (toolbar-<action>) where it is shown: on its button, or on its item while the
 * menu is open. The menu is our own rather than @vscode-elements' vscode-context-menu, which (2.x) renders its items
 * without menu roles, cannot disable an item and does not give focus back when it closes.
 */
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type ComponentRef, type KeyboardEvent } from 'react';
import { TEST_IDS } from './test-ids.js';
import { actionsThatFit } from './toolbar-fit.js';

export type ToolbarAction =
  | 'fit'
  | 'zoomIn'
  | 'zoomOut'
  | 'layout'
  | 'toggleControlPlane'
  | 'connect'
  | 'exportDiagram'
  | 'openText'
  | 'generate'
  | 'validate'
  | 'createDevCertificates'
  | 'rehearse'
  | 'whatIf'
  | 'deploy'
  | 'deploymentHistory'
  | 'showFindings';

interface Action {
  readonly action: ToolbarAction;
  readonly text: string;
  readonly label: string;
  readonly testId: string;
  /** The actions are drawn in groups, with more room between groups. */
  readonly group: 'view' | 'commands' | 'azure';
  readonly disabled?: boolean;
  readonly primary?: boolean;
  /** A toggle: aria-pressed on the button, aria-checked on the menu item. */
  readonly pressed?: boolean;
}

/** The actions in their order; the last ones go into the overflow menu first. */
function actionsOf({ readOnly, controlPlaneHidden, canConnect }: Pick<ToolbarProps, 'readOnly' | 'controlPlaneHidden' | 'canConnect'>): Action[] {
  const controlPlane = 'monitoring and security edges (diagnostics, protects, siem, secrets)';
  return [
    { action: 'fit', text: 'Fit', label: 'Fit the diagram in view', testId: 'toolbar-fit', group: 'view' },
    { action: 'zoomIn', text: '+', label: 'Zoom in', testId: 'toolbar-zoom-in', group: 'view' },
    { action: 'zoomOut', text: '−', label: 'Zoom out', testId: 'toolbar-zoom-out', group: 'view' },
    // Disabled while the text does not parse (the host would refuse the edit).
    { action: 'layout', text: 'Auto layout', label: 'Lay out every node automatically', testId: 'toolbar-layout', group: 'view', disabled: readOnly },
    {
      action: 'connect',
      text: 'Connect…',
      label: 'Connect the selected node to another node (C)',
      testId: 'toolbar-connect',
      group: 'view',
      disabled: !canConnect,
    },
    {
      action: 'toggleControlPlane',
      text: controlPlaneHidden ? 'Control plane: hidden' : 'Control plane: shown',
      label: `${controlPlaneHidden ? 'Show' : 'Hide'} ${controlPlane}`,
      testId: 'toolbar-control-plane',
      group: 'view',
      pressed: !controlPlaneHidden,
    },
    { action: 'exportDiagram', text: 'Export', label: 'Export the diagram as SVG or PNG', testId: 'toolbar-export', group: 'commands' },
    { action: 'openText', text: 'Open as text', label: 'Open the YAML text beside the canvas', testId: 'toolbar-open-text', group: 'commands' },
    { action: 'validate', text: 'Validate', label: 'Validate the design', testId: 'toolbar-validate', group: 'commands' },
    {
      action: 'generate',
      text: 'Generate',
      label: 'Generate Bicep, ingress manifests and policies',
      testId: 'toolbar-generate',
      group: 'commands',
      primary: true,
    },
    {
      action: 'createDevCertificates',
      text: 'Dev Certificates',
      label: 'Create development certificates for every certificate the design declares',
      testId: 'toolbar-dev-certificates',
      group: 'azure',
    },
    { action: 'rehearse', text: 'Rehearse', label: 'Rehearse the TLS and mTLS handshakes of the https and mtls edges', testId: 'toolbar-rehearse', group: 'azure' },
    { action: 'whatIf', text: 'What-If', label: 'Preview the deployment to Azure (what-if)', testId: 'toolbar-what-if', group: 'azure' },
    { action: 'deploy', text: 'Deploy', label: 'Deploy the design to Azure', testId: 'toolbar-deploy', group: 'azure' },
    { action: 'deploymentHistory', text: 'History', label: 'Show the deployment history of this design', testId: 'toolbar-history', group: 'azure' },
  ];
}

export interface ToolbarProps {
  onAction(action: ToolbarAction): void;
  readonly readOnly: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly fileName: string;
  /** Whether diagnostics, protects, siem and secrets edges are hidden. */
  readonly controlPlaneHidden: boolean;
  /** Whether exactly one node is selected (keyboard connection). */
  readonly canConnect: boolean;
}

/**
 * How many actions fit, kept current by a ResizeObserver on the toolbar, the summary and the unseen row of every
 * action (`measure`), whose children are laid out as the visible row lays out its own.
 */
function useFittingCount(total: number) {
  const toolbar = useRef<HTMLDivElement>(null);
  const summary = useRef<HTMLButtonElement>(null);
  const measure = useRef<HTMLDivElement>(null);
  const [count, setCount] = useState(total);
  // Whether a ResizeObserver has reported once: by then the buttons have drawn their text and the count is right.
  const [measured, setMeasured] = useState(false);

  const recount = useCallback(() => {
    const bar = toolbar.current;
    const row = measure.current;
    if (!bar || !row || !summary.current) return;
    const style = getComputedStyle(bar);
    const gap = parseFloat(style.columnGap) || 0;
    const content = bar.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const left = row.getBoundingClientRect().left;
    const items = Array.from(row.children) as HTMLElement[];
    const more = items.pop()!;
    const rights = items.map((el) => el.getBoundingClientRect().right - left);
    // The row: the actions, the file name (which shrinks to nothing), the summary, then "…" when it is shown.
    const room = content - summary.current.getBoundingClientRect().width - 2 * gap;
    const roomWithMore = room - more.getBoundingClientRect().width - gap;
    setCount(actionsThatFit(rights, room, roomWithMore));
  }, []);

  useLayoutEffect(recount);

  useEffect(() => {
    const observer = new ResizeObserver(() => {
      recount();
      setMeasured(true);
    });
    for (const el of [toolbar.current, summary.current, measure.current, ...Array.from(measure.current?.children ?? [])]) if (el) observer.observe(el);
    return () => observer.disconnect();
  }, [recount, total]);

  return { toolbar, summary, measure, count, measured };
}

function ToolbarView({ onAction, readOnly, errors, warnings, fileName, controlPlaneHidden, canConnect }: ToolbarProps) {
  const actions = actionsOf({ readOnly, controlPlaneHidden, canConnect });
  const { toolbar, summary: summaryRef, measure, count, measured } = useFittingCount(actions.length);
  const shown = actions.slice(0, count);
  const overflow = actions.slice(count);

  const button = (a: Action, i: number, measuring = false) => (
    <VscodeButton
      key={a.action}
      className={`gwc-toolbar__button${i > 0 && actions[i - 1]!.group !== a.group ? ' gwc-toolbar__button--group' : ''}`}
      secondary={!a.primary}
      aria-label={a.label}
      title={a.label}
      {...(a.pressed === undefined ? {} : { 'aria-pressed': a.pressed ? 'true' : 'false' })}
      {...(measuring ? { tabIndex: -1 } : { 'data-testid': a.testId, onClick: () => onAction(a.action) })}
      disabled={a.disabled}
    >
      {a.text}
    </VscodeButton>
  );

  const summary = errors || warnings ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}` : 'No problems';
  return (
    <div className="gwc-toolbar" role="toolbar" aria-label="Canvas" data-testid={TEST_IDS.toolbar} data-measured={measured} ref={toolbar}>
      <div className="gwc-toolbar__actions">{shown.map((a, i) => button(a, i))}</div>
      <div className="gwc-toolbar__file" title={fileName}>
        {fileName.split(/[\\/]/).pop()}
      </div>
      <button
        ref={summaryRef}
        type="button"
        className={`gwc-toolbar__summary${errors ? ' gwc-toolbar__summary--error' : warnings ? ' gwc-toolbar__summary--warning' : ''}`}
        data-testid={TEST_IDS.findingsSummary}
        aria-label={`${summary}: show findings`}
        onClick={() => onAction('showFindings')}
      >
        {summary}
      </button>
      {overflow.length > 0 ? <OverflowMenu actions={overflow} onAction={onAction} /> : null}
      {/* Every action once more, unseen and in one row, to measure what fits; its last child stands for "…". */}
      <div className="gwc-toolbar__measure-box" aria-hidden="true" inert>
        <div className="gwc-toolbar__actions gwc-toolbar__measure" ref={measure}>
          {actions.map((a, i) => button(a, i, true))}
          <VscodeButton className="gwc-toolbar__button gwc-toolbar__more" secondary tabIndex={-1}>
            …
          </VscodeButton>
        </div>
      </div>
    </div>
  );
}

/** "…" and the menu of the actions that do not fit (WAI-ARIA menu button: https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/). */
function OverflowMenu({ actions, onAction }: { actions: readonly Action[]; onAction(action: ToolbarAction): void }) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const wrap = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const more = useRef<ComponentRef<typeof VscodeButton>>(null);

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? []);
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) more.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const all = items();
    (open === 'last' ? all[all.length - 1] : all[0])?.focus();
    // A press anywhere outside closes the menu (focus stays where the press put it).
    const onPointerDown = (event: PointerEvent) => {
      if (!wrap.current?.contains(event.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [open, close]);

  const onButtonKey = (event: KeyboardEvent<HTMLElement>) => {
    // vscode-button turns Enter and Space into a click (which opens the menu and focuses an item); the key's own
    // default action would then press that item.
    if (event.key === 'Enter' || event.key === ' ') event.preventDefault();
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  };
  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const all = items();
    const i = all.indexOf(document.activeElement as HTMLElement);
    let next: number | undefined;
    if (event.key === 'ArrowDown') next = (i + 1) % all.length;
    else if (event.key === 'ArrowUp') next = (i - 1 + all.length) % all.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = all.length - 1;
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
      return;
    } else if (event.key === 'Tab') {
      close(false);
      return;
    }
    if (next === undefined) return;
    event.preventDefault();
    all[next]?.focus();
  };
  const pick = (a: Action) => {
    if (a.disabled) return;
    close(true);
    onAction(a.action);
  };

  return (
    <div className="gwc-toolbar__overflow" ref={wrap}>
      <VscodeButton
        ref={more}
        className="gwc-toolbar__button gwc-toolbar__more"
        secondary
        data-testid={TEST_IDS.toolbarMore}
        aria-label={`More actions: ${actions.map((a) => a.text).join(', ')}`}
        title="More actions"
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls="gwc-toolbar-menu"
        onClick={() => setOpen((o) => (o ? false : 'first'))}
        onKeyDown={onButtonKey}
      >
        …
      </VscodeButton>
      {open ? (
        <div
          ref={menu}
          id="gwc-toolbar-menu"
          className="gwc-popup gwc-toolbar__menu"
          role="menu"
          aria-label="More actions"
          data-testid={TEST_IDS.toolbarMenu}
          onKeyDown={onMenuKey}
        >
          {actions.map((a) => (
            <button
              key={a.action}
              type="button"
              role={a.pressed === undefined ? 'menuitem' : 'menuitemcheckbox'}
              {...(a.pressed === undefined ? {} : { 'aria-checked': a.pressed ? 'true' : 'false' })}
              aria-disabled={a.disabled ? true : undefined}
              tabIndex={-1}
              className="gwc-popup__item gwc-toolbar__item"
              data-testid={a.testId}
              aria-label={a.label}
              title={a.label}
              onClick={() => pick(a)}
            >
              {a.text}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export const Toolbar = memo(ToolbarView);
