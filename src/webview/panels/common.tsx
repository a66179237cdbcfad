/**
 * Pieces the panels share: the severity icon and one finding with its actions.
 *
 * Test ids (stable; see also each panel):
 *   finding             one finding (attributes data-rule, data-severity, data-target-kind, data-target-id)
 *   finding-open        its main button: selects the element (or reveals a document-level finding in the text)
 *   finding-fix         applies its fix (only when it has one)
 *   finding-reveal      shows its YAML in the text editor
 */
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import type { Finding, Severity } from '../../schemas/finding.js';
import type { EditOperation } from '../../schemas/operations.js';
import { formatLocation } from './findings-model.js';
import './panels.css';

const SEVERITY_WORD: Readonly<Record<Severity, string>> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** A small shape per severity (circle, triangle, "i"), coloured by the theme, so colour is not the only cue. */
export function SeverityIcon({ severity }: { severity: Severity }) {
  return (
    <svg className={`gw-sev-icon gw-sev-${severity}`} width="14" height="14" viewBox="0 0 16 16" role="img" aria-label={SEVERITY_WORD[severity]}>
      {severity === 'error' && (
        <>
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" stroke="currentColor" strokeWidth="1.5" />
        </>
      )}
      {severity === 'warning' && (
        <>
          <path d="M8 1.8l6.6 12H1.4z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
          <path d="M8 6v4M8 11.4v1.2" stroke="currentColor" strokeWidth="1.5" />
        </>
      )}
      {severity === 'info' && (
        <>
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M8 7v4.5M8 4.4v1.3" stroke="currentColor" strokeWidth="1.5" />
        </>
      )}
    </svg>
  );
}

/** A small square button with a cross, for removing a row; `label` says what it removes. */
export function RemoveButton({ label, testId, onClick }: { label: string; testId: string; onClick(): void }) {
  return (
    <button type="button" className="gw-icon-button" data-testid={testId} aria-label={label} title={label} onClick={onClick}>
      <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true">
        <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" stroke="currentColor" strokeWidth="1.6" />
      </svg>
    </button>
  );
}

export interface FindingItemProps {
  finding: Finding;
  /** Main action (click or Enter on the entry). */
  onOpen(): void;
  onReveal(): void;
  send(ops: EditOperation[], label: string): void;
  /** Whether the finding is about a selected element. */
  current?: boolean;
  /** Show where it is (line:column) and what it is about; the Inspector leaves the element out. */
  showTarget?: boolean;
}

/** One finding: icon, rule id, message, location; a "Fix" button when the rule offers one; "Show in text". */
export function FindingItem({ finding, onOpen, onReveal, send, current = false, showTarget = true }: FindingItemProps) {
  const location = formatLocation(finding);
  const target = finding.target.id ? `${finding.target.kind} ${finding.target.id}` : 'document';
  const fix = finding.fix;
  return (
    <li
      className={`gw-finding gw-finding-${finding.severity}${current ? ' gw-current' : ''}`}
      data-testid="finding"
      data-rule={finding.ruleId}
      data-severity={finding.severity}
      data-target-kind={finding.target.kind}
      data-target-id={finding.target.id ?? ''}
    >
      <button
        type="button"
        className="gw-finding-open"
        data-testid="finding-open"
        aria-current={current ? 'true' : undefined}
        aria-label={`${SEVERITY_WORD[finding.severity]} ${finding.ruleId}${location ? ` at line ${location.replace(':', ', column ')}` : ''}: ${finding.message}`}
        title={finding.target.id ? `Select ${target}` : 'Show in the text'}
        onClick={onOpen}
      >
        <SeverityIcon severity={finding.severity} />
        <span className="gw-finding-body">
          <span className="gw-finding-message">{finding.message}</span>
          <span className="gw-finding-meta">
            <span className="gw-rule">{finding.ruleId}</span>
            {showTarget && <span className="gw-finding-target">{target}</span>}
            {location && <span className="gw-location">{location}</span>}
          </span>
        </span>
      </button>
      <span className="gw-finding-actions">
        {fix && (
          <VscodeButton
            data-testid="finding-fix"
            aria-label={`Fix: ${fix.title}`}
            title={fix.title}
            onClick={() => send(fix.operations, fix.title)}
          >
            Fix
          </VscodeButton>
        )}
        <VscodeButton data-testid="finding-reveal" secondary aria-label={`Show ${finding.ruleId} in the text`} title="Show in text" onClick={onReveal}>
          Text
        </VscodeButton>
      </span>
    </li>
  );
}
