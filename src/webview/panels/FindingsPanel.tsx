/**
 * The findings panel: every finding grouped by severity with counts, a filter box, and per entry the rule
 * id, the message and the location (line:column). Activating an entry (click, Enter or Space) selects its
 * node, edge or certificate (the canvas centres it; a document-level finding opens the text instead);
 * "Text" shows its YAML; "Fix" applies the rule's fix as one edit.
 *
 * Test ids (stable; the entries are documented in common.tsx):
 *   findings-panel               the panel
 *   findings-filter              the filter box (every word must appear in the rule id, severity, message, element or location)
 *   findings-clear-filter        clears it
 *   findings-summary             "2 errors, 1 warning, no infos" (the counts before filtering)
 *   findings-group-<severity>    a group (error | warning | info; attributes data-count, data-total)
 *   findings-toggle-<severity>   its heading, which collapses and expands it
 *   findings-count-<severity>    its count ("3", or "1 of 3" while filtered)
 *   findings-none                no findings at all
 *   findings-no-match            nothing passes the filter
 *   findings-more-<severity>     draws the next 200 entries of a long group
 *
 * The panel root has the class `nokey`: React Flow ignores key presses from inside it (Delete, arrows).
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import VscodeTextfield from '@vscode-elements/react-elements/dist/components/VscodeTextfield.js';
import type { Severity } from '../../schemas/finding.js';
import { FindingItem, SeverityIcon } from './common.js';
import { countLabel, groupFindings, isSelected, openAction, revealPathOf } from './findings-model.js';
import type { PanelProps } from './types.js';
import './panels.css';
import { TEST_IDS } from '../test-ids.js';

/** Entries drawn per group before "Show more": a design with thousands of findings stays responsive. */
const PAGE = 200;

const GROUP_TITLE: Readonly<Record<Severity, string>> = { error: 'Errors', warning: 'Warnings', info: 'Information' };

export default function FindingsPanel({ design, findings, selection, send, select, revealInText }: PanelProps) {
  const [filter, setFilter] = useState('');
  const [collapsed, setCollapsed] = useState<ReadonlySet<Severity>>(new Set());
  const [limits, setLimits] = useState<Partial<Record<Severity, number>>>({});
  const groups = useMemo(() => groupFindings(findings, filter), [findings, filter]);
  const shown = groups.reduce((n, g) => n + g.entries.length, 0);
  const summary = groups.map((g) => countLabel(g.severity, g.total)).join(', ');

  const toggle = (severity: Severity) => {
    const next = new Set(collapsed);
    if (next.has(severity)) next.delete(severity);
    else next.add(severity);
    setCollapsed(next);
  };
  const onFilterKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && filter) {
      e.stopPropagation();
      setFilter('');
    }
  };

  return (
    <section className="nokey gw-panel gw-findings" data-testid="findings-panel" aria-label="Findings">
      <header className="gw-panel-header">
        <h2 className="gw-title">Findings</h2>
        <span className="gw-summary" data-testid={TEST_IDS.findingsSummary} role="status">
          {summary}
        </span>
      </header>
      <div className="gw-filter">
        <VscodeTextfield
          data-testid="findings-filter"
          type="search"
          label="Filter findings"
          aria-label="Filter findings"
          placeholder="Filter: rule id, word, node…"
          value={filter}
          onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
          onKeyDown={onFilterKey}
        />
        {filter && (
          <button type="button" className="gw-link" data-testid="findings-clear-filter" aria-label="Clear the filter" onClick={() => setFilter('')}>
            Clear
          </button>
        )}
      </div>
      {findings.length === 0 ? (
        <p className="gw-note" data-testid="findings-none">
          No findings: the design passes every rule.
        </p>
      ) : shown === 0 ? (
        <p className="gw-note" data-testid="findings-no-match" role="status">
          No finding matches “{filter}”.
        </p>
      ) : null}
      {groups
        .filter((g) => g.entries.length > 0)
        .map((g) => {
          const open = !collapsed.has(g.severity);
          const listId = `gw-findings-${g.severity}`;
          const count = filter ? `${g.entries.length} of ${g.total}` : String(g.total);
          const limit = limits[g.severity] ?? PAGE;
          const hidden = g.entries.length - limit;
          return (
            <div
              key={g.severity}
              className={`gw-finding-group gw-group-${g.severity}`}
              data-testid={`findings-group-${g.severity}`}
              data-count={g.entries.length}
              data-total={g.total}
            >
              <h3 className="gw-group-heading">
                <button
                  type="button"
                  className="gw-group-toggle"
                  data-testid={`findings-toggle-${g.severity}`}
                  aria-expanded={open}
                  aria-controls={listId}
                  onClick={() => toggle(g.severity)}
                >
                  <SeverityIcon severity={g.severity} />
                  <span>{GROUP_TITLE[g.severity]}</span>
                  <span className="gw-badge" data-testid={`findings-count-${g.severity}`} aria-label={`${count} findings`}>
                    {count}
                  </span>
                </button>
              </h3>
              {open && (
                <ul className="gw-finding-list" id={listId} aria-label={GROUP_TITLE[g.severity]}>
                  {g.entries.slice(0, limit).map(({ finding, index }) => {
                    const activate = () => {
                      const action = openAction(finding, design);
                      if (action.kind === 'select') select([action.item]);
                      else revealInText(action.path);
                    };
                    return (
                      <FindingItem
                        key={index}
                        finding={finding}
                        send={send}
                        current={isSelected(finding, selection)}
                        onOpen={activate}
                        onReveal={() => revealInText(revealPathOf(finding, design))}
                      />
                    );
                  })}
                </ul>
              )}
              {open && hidden > 0 && (
                <button
                  type="button"
                  className="gw-link"
                  data-testid={`findings-more-${g.severity}`}
                  onClick={() => setLimits({ ...limits, [g.severity]: limit + PAGE })}
                >
                  Show {Math.min(hidden, PAGE)} more of {hidden}
                </button>
              )}
            </div>
          );
        })}
    </section>
  );
}
