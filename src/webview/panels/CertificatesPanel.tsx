/**
 * The certificates panel: every certificate in its trust chain (self-signed roots and public CAs at the
 * top, what they issued below), with role, key vault, DNS names, expiry and days left (warning under 30
 * days, error once expired, and the findings on it), where it is used; add and remove certificates. The expiry
 * is the design's `notAfter`, else the date the host read from the certificate's file (certificateExpiry).
 * Selecting a row selects the certificate. The tree is an ARIA tree with one tab stop: Up/Down move,
 * Left/Right collapse and expand, Home/End jump, Enter or Space select, Delete asks to remove; Tab then
 * reaches the focused row's own buttons (its uses, Remove).
 *
 * Test ids (stable):
 *   certificates-panel         the panel
 *   certificates-tree          the tree
 *   certificate-row            one row (attributes data-id, data-kind: certificate | external | broken,
 *                              data-status: ok | info | warning | error, data-level)
 *   certificate-days           a row's expiry ("412 days left", "expired 3 days ago")
 *   certificate-meta           its issuer, Key Vault, DNS names, notAfter, renewal
 *   certificate-use            one use of a certificate (a button selecting the node or edge; data-kind, data-id)
 *   certificate-issue          a finding on the certificate (its message)
 *   certificate-remove         "Remove" on the selected row (or Delete on a row); certificate-remove-confirm /
 *                              certificate-remove-cancel confirm it
 *   certificate-add            opens the new-certificate form
 *   certificate-add-id, certificate-add-role, certificate-add-issuer, certificate-add-keyvault   its fields
 *   certificate-add-error      what is wrong with the form
 *   certificate-add-submit, certificate-add-cancel
 *   certificates-empty         no certificates yet
 *
 * The panel root has the class `nokey`: React Flow ignores key presses from inside it (Delete, arrows).
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import VscodeLabel from '@vscode-elements/react-elements/dist/components/VscodeLabel.js';
import VscodeTextfield from '@vscode-elements/react-elements/dist/components/VscodeTextfield.js';
import type { Certificate, Design } from '../../schemas/design.js';
import type { Finding } from '../../schemas/finding.js';
import { SeverityIcon } from './common.js';
import { Select } from './fields.js';
import {
  addCertificateOps,
  brokenReason,
  buildChainTree,
  certificateStatus,
  checkCertificateDraft,
  defaultIssuer,
  describeExpiry,
  expiryDateOf,
  expiryOf,
  findingsByCertificate,
  newCertificateDraft,
  rowKey,
  suggestCertificateId,
  usesByCertificate,
  visibleRows,
  type CertificateDraft,
  type CertificateExpiries,
  type TreeRow,
  type Use,
} from './cert-tree.js';
import type { PanelProps } from './types.js';
import './panels.css';

const ROLE_WORD: Readonly<Record<Certificate['role'], string>> = { ca: 'CA', server: 'server', client: 'client' };

export default function CertificatesPanel({ design, findings, selection, send, select, overlays }: PanelProps) {
  const tree = useMemo(() => buildChainTree(design.certificates), [design.certificates]);
  const uses = useMemo(() => usesByCertificate(design), [design]);
  const issues = useMemo(() => findingsByCertificate(findings), [findings]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [focusKey, setFocusKey] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  const [confirming, setConfirming] = useState<string | undefined>();
  const rowRefs = useRef(new Map<string, HTMLLIElement>());
  const now = new Date();

  const rows = visibleRows(tree, collapsed);
  const selected = new Set(selection.filter((s) => s.kind === 'certificate').map((s) => s.id));
  // The row that takes Tab: the focused one, else the first selected, else the first.
  const selectedRow = rows.find((r) => r.node.kind === 'certificate' && selected.has(r.node.id));
  const tabKey =
    (focusKey !== undefined && rows.some((r) => rowKey(r.node) === focusKey) ? focusKey : undefined) ??
    (selectedRow ? rowKey(selectedRow.node) : undefined) ??
    (rows[0] ? rowKey(rows[0].node) : undefined);

  const focusRow = (key: string | undefined) => {
    if (!key) return;
    setFocusKey(key);
    rowRefs.current.get(key)?.focus();
  };
  const toggle = (key: string, open: boolean) => {
    const next = new Set(collapsed);
    if (open) next.delete(key);
    else next.add(key);
    setCollapsed(next);
  };
  const activate = (row: TreeRow) => {
    if (row.node.kind === 'certificate') select([{ kind: 'certificate', id: row.node.id }]);
    else toggle(rowKey(row.node), !row.expanded);
  };

  const onKeyDown = (e: KeyboardEvent, i: number) => {
    const row = rows[i];
    if (!row || e.target !== e.currentTarget) return;
    const key = rowKey(row.node);
    switch (e.key) {
      case 'ArrowDown':
        focusRow(rows[i + 1] && rowKey(rows[i + 1]!.node));
        break;
      case 'ArrowUp':
        focusRow(rows[i - 1] && rowKey(rows[i - 1]!.node));
        break;
      case 'Home':
        focusRow(rows[0] && rowKey(rows[0].node));
        break;
      case 'End':
        focusRow(rows[rows.length - 1] && rowKey(rows[rows.length - 1]!.node));
        break;
      case 'ArrowRight':
        if (row.hasChildren && !row.expanded) toggle(key, true);
        else if (row.hasChildren) focusRow(rows[i + 1] && rowKey(rows[i + 1]!.node));
        break;
      case 'ArrowLeft':
        if (row.hasChildren && row.expanded) toggle(key, false);
        else focusRow(row.parentId);
        break;
      case 'Enter':
      case ' ':
        activate(row);
        break;
      case 'Delete':
        if (row.node.kind === 'certificate') setConfirming(row.node.id);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <section className="nokey gw-panel gw-certificates" data-testid="certificates-panel" aria-label="Certificates">
      <header className="gw-panel-header">
        <h2 className="gw-title">
          Certificates <span className="gw-count">({design.certificates.length})</span>
        </h2>
        {!adding && (
          <VscodeButton data-testid="certificate-add" aria-label="Add a certificate" onClick={() => setAdding(true)}>
            Add
          </VscodeButton>
        )}
      </header>
      {adding && (
        <AddCertificate
          design={design}
          onCancel={() => setAdding(false)}
          onAdd={(draft) => {
            send(addCertificateOps(draft), `Add certificate ${draft.id}`);
            setAdding(false);
            select([{ kind: 'certificate', id: draft.id }]);
          }}
        />
      )}
      {design.certificates.length === 0 ? (
        <p className="gw-note" data-testid="certificates-empty">
          No certificates yet. Add a CA, then the server and client certificates it issues.
        </p>
      ) : (
        <ul className="gw-tree" role="tree" aria-label="Trust chains" data-testid="certificates-tree">
          {rows.map((row, i) => {
            const key = rowKey(row.node);
            return (
              <CertificateRow
                key={row.node.kind === 'certificate' ? `${key}@${row.node.index}` : key}
                row={row}
                design={design}
                uses={row.node.kind === 'certificate' ? (uses.get(row.node.id) ?? []) : []}
                issues={row.node.kind === 'certificate' ? (issues.get(row.node.id) ?? []) : []}
                now={now}
                expiries={overlays?.certificateExpiry}
                selected={row.node.kind === 'certificate' && selected.has(row.node.id)}
                tabbable={key === tabKey}
                confirming={row.node.kind === 'certificate' && confirming === row.node.id}
                rowRef={(el) => {
                  if (el) rowRefs.current.set(key, el);
                  else rowRefs.current.delete(key);
                }}
                onKeyDown={(e) => onKeyDown(e, i)}
                onFocus={() => setFocusKey(key)}
                onActivate={() => activate(row)}
                onToggle={() => toggle(key, !row.expanded)}
                onSelectUse={(use) => select([use.target])}
                onRemove={() => setConfirming(row.node.id)}
                onConfirmRemove={() => {
                  setConfirming(undefined);
                  send([{ op: 'removeCertificate', id: row.node.id }], `Remove certificate ${row.node.id}`);
                  if (selected.has(row.node.id)) select([]);
                  focusRow(rows[i + 1] ? rowKey(rows[i + 1]!.node) : rows[i - 1] && rowKey(rows[i - 1]!.node));
                }}
                onCancelRemove={() => {
                  setConfirming(undefined);
                  focusRow(key);
                }}
              />
            );
          })}
        </ul>
      )}
    </section>
  );
}

interface RowProps {
  row: TreeRow;
  design: Design;
  uses: readonly Use[];
  issues: readonly Finding[];
  now: Date;
  /** Expiry dates the host read (from files), undefined when it sent none. */
  expiries: CertificateExpiries | undefined;
  selected: boolean;
  tabbable: boolean;
  confirming: boolean;
  rowRef(el: HTMLLIElement | null): void;
  onKeyDown(e: KeyboardEvent): void;
  onFocus(): void;
  onActivate(): void;
  onToggle(): void;
  onSelectUse(use: Use): void;
  onRemove(): void;
  onConfirmRemove(): void;
  onCancelRemove(): void;
}

function CertificateRow(props: RowProps) {
  const { row, design, uses, issues, now, expiries, selected, tabbable, confirming } = props;
  const node = row.node;
  const indent = { paddingInlineStart: `${(row.level - 1) * 16 + 4}px` };
  const common = {
    ref: props.rowRef,
    role: 'treeitem',
    tabIndex: tabbable ? 0 : -1,
    'aria-level': row.level,
    'aria-expanded': row.hasChildren ? row.expanded : undefined,
    onKeyDown: props.onKeyDown,
    onFocus: props.onFocus,
    'data-testid': 'certificate-row',
    'data-level': row.level,
  } as const;

  if (node.kind !== 'certificate') {
    const title = node.kind === 'external' ? 'Public CAs (external)' : 'Broken chains';
    return (
      <li {...common} className={`gw-tree-row gw-tree-group`} data-id={node.id} data-kind={node.kind} data-status="ok" aria-label={`${title}, ${node.children.length} certificates`}>
        <div className="gw-tree-line" style={indent} onClick={props.onToggle}>
          <Twisty expanded={row.expanded} />
          <span className="gw-tree-title">{title}</span>
          <span className="gw-count">({node.children.length})</span>
        </div>
      </li>
    );
  }

  const cert = node.certificate;
  const date = expiryDateOf(cert, expiries);
  const expiry = expiryOf(date?.notAfter, now);
  const status = certificateStatus(expiry, issues);
  const broken = node.root === undefined ? brokenReason(design.certificates, cert.id) : undefined;
  const days = date
    ? describeExpiry(expiry)
    : cert.file
      ? expiries
        ? 'expiry unknown: the file could not be read'
        : 'expiry read from the file'
      : 'no expiry date';
  const through = date ? `valid through ${date.notAfter}${date.source === 'file' ? ` (read from ${cert.file ?? 'its file'})` : ''}` : undefined;
  const label = `${ROLE_WORD[cert.role]} certificate ${cert.id}, ${days}${issues.length ? `, ${issues.length} finding${issues.length === 1 ? '' : 's'}` : ''}`;

  return (
    <li
      {...common}
      className={`gw-tree-row gw-status-${status}${selected ? ' gw-selected' : ''}`}
      aria-selected={selected}
      aria-label={label}
      data-id={cert.id}
      data-kind="certificate"
      data-status={status}
    >
      <div className="gw-tree-line" style={indent} onClick={props.onActivate}>
        {row.hasChildren ? (
          <span
            onClick={(e) => {
              e.stopPropagation();
              props.onToggle();
            }}
          >
            <Twisty expanded={row.expanded} />
          </span>
        ) : (
          <span className="gw-twisty-space" />
        )}
        <span className="gw-tree-title">{cert.id}</span>
        <span className={`gw-role gw-role-${cert.role}`}>{ROLE_WORD[cert.role]}</span>
        <span className={`gw-days gw-days-${expiry.status}`} data-testid="certificate-days" title={through}>
          {days}
        </span>
      </div>
      <div className="gw-tree-details" style={indent}>
        <div className="gw-meta" data-testid="certificate-meta">
          <span title={node.chain}>
            {cert.issuer === 'self' ? 'self-signed root' : cert.issuer === 'external' ? 'from a public CA' : `issued by ${cert.issuer}`}
          </span>
          <span>{cert.keyVault ? `in ${cert.keyVault}` : 'in no Key Vault'}</span>
          {cert.dnsNames.length > 0 && <span className="gw-dns">{cert.dnsNames.join(', ')}</span>}
          {date && (
            <span title={through}>
              until {date.notAfter.slice(0, 10)}
              {date.source === 'file' ? ' (from the file)' : ''}
            </span>
          )}
          {cert.autoRenew && <span>auto-renew</span>}
        </div>
        {broken && <div className="gw-issue gw-issue-error">Chain broken: {broken}</div>}
        {issues.map((f, i) => (
          <div key={i} className={`gw-issue gw-issue-${f.severity}`} data-testid="certificate-issue">
            <SeverityIcon severity={f.severity} /> {f.message}
          </div>
        ))}
        <div className="gw-uses" aria-label={`Uses of ${cert.id}`}>
          {uses.length === 0 ? (
            <span className="gw-help">not used by any node or edge</span>
          ) : (
            uses.map((u, i) => (
              <button
                key={i}
                type="button"
                tabIndex={tabbable ? 0 : -1}
                className="gw-chip"
                data-testid="certificate-use"
                data-kind={u.target.kind}
                data-id={u.target.id}
                aria-label={`Select the ${u.label}`}
                onClick={(e) => {
                  e.stopPropagation();
                  props.onSelectUse(u);
                }}
              >
                {u.label}
              </button>
            ))
          )}
        </div>
        {(selected || confirming) && (
          <div className="gw-row-actions">
            {confirming ? (
              <span role="group" aria-label={`Remove ${cert.id}?`}>
                <span className="gw-help">
                  Remove {cert.id}?{uses.length ? ` ${uses.length} reference${uses.length === 1 ? '' : 's'} will be reported.` : ''}{' '}
                </span>
                <VscodeButton data-testid="certificate-remove-confirm" aria-label={`Confirm removing ${cert.id}`} onClick={props.onConfirmRemove} ref={focusOnMount}>
                  Remove
                </VscodeButton>
                <VscodeButton secondary data-testid="certificate-remove-cancel" aria-label="Keep the certificate" onClick={props.onCancelRemove}>
                  Keep
                </VscodeButton>
              </span>
            ) : (
              <VscodeButton secondary data-testid="certificate-remove" aria-label={`Remove certificate ${cert.id}`} tabIndex={tabbable ? 0 : -1} onClick={props.onRemove}>
                Remove
              </VscodeButton>
            )}
          </div>
        )}
      </div>
    </li>
  );
}

/** Focuses an element when it appears (the confirm button, the new certificate's id). */
function focusOnMount(el: HTMLElement | null): void {
  if (el) requestAnimationFrame(() => el.focus());
}

function Twisty({ expanded }: { expanded: boolean }) {
  return (
    <svg className="gw-twisty" width="12" height="12" viewBox="0 0 16 16" aria-hidden="true">
      <path d={expanded ? 'M3 6l5 5 5-5' : 'M6 3l5 5-5 5'} fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}

function AddCertificate({ design, onAdd, onCancel }: { design: Design; onAdd(draft: CertificateDraft): void; onCancel(): void }) {
  const [draft, setDraft] = useState<CertificateDraft>(() => newCertificateDraft(design));
  const [touched, setTouched] = useState(false);
  const problems = checkCertificateDraft(design, draft);
  const first = Object.values(problems)[0];
  const submit = () => {
    setTouched(true);
    if (!first) onAdd(draft);
  };
  const issuerOptions = [
    { value: 'self', label: 'self (a root)' },
    { value: 'external', label: 'external (a public CA)' },
    ...design.certificates.filter((c) => c.role === 'ca').map((c) => ({ value: c.id, label: c.id, description: 'CA certificate' })),
  ];
  const vaultOptions = [{ value: '', label: '(none)' }, ...design.nodes.filter((n) => n.type === 'keyVault').map((n) => ({ value: n.id, label: n.id }))];
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCancel();
    }
  };
  return (
    <form
      className="gw-form gw-add-form"
      aria-label="New certificate"
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="gw-field">
        <VscodeLabel htmlFor="gw-add-cert-role">Role</VscodeLabel>
        <Select
          id="gw-add-cert-role"
          testId="certificate-add-role"
          label="Role"
          value={draft.role}
          options={[
            { value: 'ca', label: 'CA', description: 'issues other certificates' },
            { value: 'server', label: 'server', description: 'a TLS endpoint' },
            { value: 'client', label: 'client', description: 'presented on an mtls edge' },
          ]}
          onChange={(v) => {
            const role = v as Certificate['role'];
            // Keep a typed id; refresh a suggested one.
            const id = draft.id === suggestCertificateId(design, draft.role) ? suggestCertificateId(design, role) : draft.id;
            setDraft({ ...draft, role, id, issuer: defaultIssuer(design, role) });
          }}
        />
      </div>
      <div className="gw-field">
        <VscodeLabel htmlFor="gw-add-cert-id" required>
          ID
        </VscodeLabel>
        <VscodeTextfield
          id="gw-add-cert-id"
          data-testid="certificate-add-id"
          label="Certificate ID"
          aria-label="Certificate ID"
          value={draft.id}
          invalid={touched && problems.id !== undefined}
          onInput={(e) => setDraft({ ...draft, id: (e.target as HTMLInputElement).value.trim() })}
          onKeyDown={(e: KeyboardEvent) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              submit();
            }
          }}
          ref={focusOnMount}
        />
      </div>
      <div className="gw-field">
        <VscodeLabel htmlFor="gw-add-cert-issuer">Issuer</VscodeLabel>
        <Select
          id="gw-add-cert-issuer"
          testId="certificate-add-issuer"
          label="Issuer"
          value={draft.issuer}
          options={issuerOptions}
          onChange={(v) => setDraft({ ...draft, issuer: v })}
        />
      </div>
      <div className="gw-field">
        <VscodeLabel htmlFor="gw-add-cert-kv">Key Vault</VscodeLabel>
        <Select
          id="gw-add-cert-kv"
          testId="certificate-add-keyvault"
          label="Key Vault"
          value={draft.keyVault}
          options={vaultOptions}
          onChange={(v) => setDraft({ ...draft, keyVault: v })}
        />
      </div>
      {(touched || problems.id?.includes('already')) && first && (
        <div className="gw-error" role="alert" data-testid="certificate-add-error">
          {first}
        </div>
      )}
      <div className="gw-row-actions">
        <VscodeButton data-testid="certificate-add-submit" aria-label="Add the certificate" onClick={submit}>
          Add certificate
        </VscodeButton>
        <VscodeButton secondary data-testid="certificate-add-cancel" aria-label="Cancel adding a certificate" onClick={onCancel}>
          Cancel
        </VscodeButton>
      </div>
    </form>
  );
}
