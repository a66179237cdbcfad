/**
 * Asked after a connection is drawn: which edge type, when several fit; and for mTLS, which client
 * certificate the caller presents (one of the design's, or a new one created in the same edit).
 * Keyboard: the first choice has focus; arrow keys move, Enter picks, Escape cancels.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Design, EdgeType } from '../schemas/design.js';
import { EDGE_CATALOG, NODE_CATALOG } from './catalog.js';
import { clientCertificates, connectionChoice, proposeClientCertificate, type CertificateChoice, type ConnectIndex } from './connect.js';
import { TEST_IDS } from './test-ids.js';

export interface PendingConnection {
  readonly from: string;
  readonly to: string;
  /** The types offered; one when only the certificate is asked. */
  readonly types: readonly EdgeType[];
  /** Screen position of the menu. */
  readonly anchor: { readonly x: number; readonly y: number };
}

export interface ConnectMenuProps {
  readonly pending: PendingConnection;
  readonly design: Design;
  onConnect(type: EdgeType, certificate?: CertificateChoice): void;
  onCancel(): void;
}

/** Moves focus among the menu's focusable choices with the arrow keys; Escape cancels. */
function useMenuKeys(onCancel: () => void) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[data-autofocus], button')?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const found = ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"], [role="menuitemradio"]');
    const items = found ? Array.from(found) : [];
    if (items.length === 0) return;
    event.preventDefault();
    const i = items.indexOf(document.activeElement as HTMLElement);
    const next = event.key === 'ArrowDown' ? (i + 1) % items.length : (i - 1 + items.length) % items.length;
    items[next]?.focus();
  };
  return { ref, onKeyDown };
}

function clamp(anchor: { x: number; y: number }): { left: number; top: number } {
  const w = typeof window === 'undefined' ? 1024 : window.innerWidth;
  const h = typeof window === 'undefined' ? 768 : window.innerHeight;
  return { left: Math.max(8, Math.min(anchor.x, w - 320)), top: Math.max(8, Math.min(anchor.y, h - 300)) };
}

export function ConnectMenu({ pending, design, onConnect, onCancel }: ConnectMenuProps) {
  const [type, setType] = useState<EdgeType | undefined>(pending.types.length === 1 ? pending.types[0] : undefined);
  if (type === 'mtls') {
    return <CertificatePicker key="cert" pending={pending} design={design} onPick={(c) => onConnect('mtls', c)} onCancel={onCancel} />;
  }
  return <TypeMenu key="type" pending={pending} onPick={(t) => (t === 'mtls' ? setType(t) : onConnect(t))} onCancel={onCancel} />;
}

function TypeMenu({ pending, onPick, onCancel }: { pending: PendingConnection; onPick(type: EdgeType): void; onCancel(): void }) {
  const { ref, onKeyDown } = useMenuKeys(onCancel);
  return (
    <div
      ref={ref}
      className="gwc-popup"
      role="menu"
      aria-label={`Connection type from ${pending.from} to ${pending.to}`}
      data-testid={TEST_IDS.connectMenu}
      style={clamp(pending.anchor)}
      onKeyDown={onKeyDown}
    >
      <div className="gwc-popup__title" aria-hidden="true">
        Connect {pending.from} → {pending.to} as
      </div>
      {pending.types.map((t) => (
        <button key={t} type="button" role="menuitem" className="gwc-popup__item" data-testid={`connect-option-${t}`} onClick={() => onPick(t)}>
          <span className="gwc-popup__item-title">{EDGE_CATALOG[t].title}</span>
          <span className="gwc-popup__item-description">{EDGE_CATALOG[t].description}</span>
        </button>
      ))}
      <button type="button" className="gwc-popup__cancel" data-testid={TEST_IDS.connectCancel} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

function CertificatePicker({
  pending,
  design,
  onPick,
  onCancel,
}: {
  pending: PendingConnection;
  design: Design;
  onPick(choice: CertificateChoice): void;
  onCancel(): void;
}) {
  const { ref, onKeyDown } = useMenuKeys(onCancel);
  const existing = clientCertificates(design);
  const proposal = proposeClientCertificate(design, pending.from, pending.to);
  const [newId, setNewId] = useState(proposal.id);
  const taken = new Set(design.certificates.map((c) => c.id));
  const idProblem = !/^[a-zA-Z0-9][a-zA-Z0-9-]{0,126}$/.test(newId)
    ? 'Use letters, digits and hyphens, starting with a letter or digit.'
    : taken.has(newId)
      ? `A certificate "${newId}" already exists.`
      : undefined;
  return (
    <div
      ref={ref}
      className="gwc-popup gwc-popup--wide"
      role="dialog"
      aria-modal="false"
      aria-label={`Client certificate for the mTLS edge ${pending.from} → ${pending.to}`}
      data-testid={TEST_IDS.certPicker}
      style={clamp(pending.anchor)}
      onKeyDown={onKeyDown}
    >
      <div className="gwc-popup__title">Client certificate {pending.from} presents to {pending.to}</div>
      {existing.length > 0 ? (
        <div role="menu" aria-label="Existing client certificates">
          {existing.map((c) => (
            <button
              key={c.id}
              type="button"
              role="menuitem"
              className="gwc-popup__item"
              data-testid={`cert-option-${c.id}`}
              onClick={() => onPick({ kind: 'existing', id: c.id })}
            >
              <span className="gwc-popup__item-title">Use {c.id}</span>
              <span className="gwc-popup__item-description">
                issued by {c.issuer}
                {c.keyVault ? `, in Key Vault ${c.keyVault}` : ''}
              </span>
            </button>
          ))}
        </div>
      ) : (
        <p className="gwc-popup__note">The design has no client certificate yet.</p>
      )}
      <form
        className="gwc-popup__form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!idProblem) onPick({ kind: 'new', certificate: { ...proposal, id: newId } });
        }}
      >
        <label className="gwc-popup__label" htmlFor="gwc-new-cert-id">
          New client certificate, issued by {proposal.issuer}
          {proposal.keyVault ? ` (Key Vault ${proposal.keyVault})` : ''}
        </label>
        <div className="gwc-popup__row">
          <input
            id="gwc-new-cert-id"
            className="gwc-input"
            data-testid={TEST_IDS.certNewId}
            value={newId}
            aria-invalid={idProblem ? true : undefined}
            aria-describedby={idProblem ? 'gwc-new-cert-problem' : undefined}
            onChange={(e) => setNewId(e.target.value.trim())}
            {...(existing.length === 0 ? { 'data-autofocus': true } : {})}
          />
          <button type="submit" className="gwc-button" data-testid={TEST_IDS.certCreate} disabled={!!idProblem}>
            Create and connect
          </button>
        </div>
        {idProblem ? (
          <div id="gwc-new-cert-problem" className="gwc-popup__problem" role="alert">
            {idProblem}
          </div>
        ) : null}
      </form>
      <button type="button" className="gwc-popup__cancel" data-testid={TEST_IDS.connectCancel} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

export interface TargetMenuProps {
  readonly from: string;
  readonly design: Design;
  readonly index: ConnectIndex;
  readonly anchor: { readonly x: number; readonly y: number };
  onPick(to: string): void;
  onCancel(): void;
}

const TARGETS_SHOWN = 50;

/** Connecting with the keyboard: the nodes the selected node can connect to, filtered by typing. */
export function TargetMenu({ from, design, index, anchor, onPick, onCancel }: TargetMenuProps) {
  const { ref, onKeyDown } = useMenuKeys(onCancel);
  const [filter, setFilter] = useState('');
  const targets = useMemo(() => {
    const seen = new Set<string>();
    const out: { id: string; title: string; types: readonly EdgeType[] }[] = [];
    for (const n of design.nodes) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      const choice = connectionChoice(index, from, n.id);
      if (choice.kind === 'invalid') continue;
      out.push({ id: n.id, title: `${n.label ?? n.id} (${NODE_CATALOG[n.type].title})`, types: choice.kind === 'one' ? [choice.type] : choice.types });
    }
    return out;
  }, [design, index, from]);
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = targets.filter((t) => words.every((w) => `${t.id} ${t.title}`.toLowerCase().includes(w)));
  return (
    <div ref={ref} className="gwc-popup gwc-popup--wide" role="dialog" aria-label={`Connect ${from} to`} data-testid={TEST_IDS.targetMenu} style={clamp(anchor)} onKeyDown={onKeyDown}>
      <div className="gwc-popup__title">Connect {from} to</div>
      {targets.length > 0 ? (
        <>
          <input
            className="gwc-input gwc-popup__filter"
            aria-label="Filter the nodes"
            placeholder="Filter"
            data-testid={TEST_IDS.targetFilter}
            data-autofocus
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && shown[0]) {
                e.preventDefault();
                onPick(shown[0].id);
              }
            }}
          />
          <div role="menu" aria-label={`Nodes ${from} can connect to`} className="gwc-popup__list">
            {shown.slice(0, TARGETS_SHOWN).map((t) => (
              <button key={t.id} type="button" role="menuitem" className="gwc-popup__item" data-testid={`target-option-${t.id}`} onClick={() => onPick(t.id)}>
                <span className="gwc-popup__item-title">{t.title}</span>
                <span className="gwc-popup__item-description">{t.types.map((type) => EDGE_CATALOG[type].title).join(' or ')}</span>
              </button>
            ))}
            {shown.length > TARGETS_SHOWN ? <p className="gwc-popup__note">{shown.length - TARGETS_SHOWN} more: type to filter.</p> : null}
            {shown.length === 0 ? <p className="gwc-popup__note">No node matches.</p> : null}
          </div>
        </>
      ) : (
        <p className="gwc-popup__note">No connection fits from {from} to any node of this design.</p>
      )}
      <button type="button" className="gwc-popup__cancel" data-testid={TEST_IDS.connectCancel} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
