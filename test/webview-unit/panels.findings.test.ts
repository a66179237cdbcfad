/**
 * The findings panel's model (src/webview/panels/findings-model.ts): grouping by severity with counts,
 * filtering, locations, and what an entry selects or reveals. Also checks it on the real validator output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Design } from '../../src/schemas/design.js';
import type { Finding } from '../../src/schemas/finding.js';
import { analyze } from '../../src/validation/analyze.js';
import {
  countLabel,
  formatLocation,
  groupFindings,
  isSelected,
  matchesFilter,
  openAction,
  revealPathOf,
  selectionOf,
} from '../../src/webview/panels/findings-model.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';

const loc = (line: number, column: number) => ({ line, column, endLine: line, endColumn: column + 1 });

const FINDINGS: Finding[] = [
  { ruleId: 'GW001', severity: 'error', message: 'YAML syntax: bad indentation', target: { kind: 'document' }, location: loc(3, 1) },
  {
    ruleId: 'GW214',
    severity: 'warning',
    message: 'server certificate "ingress-tls" expires on 2030-06-10, in 9 days; renew it',
    target: { kind: 'certificate', id: 'ingress-tls' },
    path: ['certificates', 3, 'notAfter'],
    location: loc(30, 15),
  },
  {
    ruleId: 'GW101',
    severity: 'error',
    message: 'API Management "apim" uses sku Basic',
    target: { kind: 'node', id: 'apim' },
    path: ['nodes', 2, 'properties', 'sku'],
    location: loc(70, 12),
    fix: { title: 'Use Developer', operations: [{ op: 'setProperty', target: { kind: 'node', id: 'apim' }, path: ['properties', 'sku'], value: 'Developer' }] },
  },
  { ruleId: 'GW300', severity: 'info', message: 'edge apim-aks could validate names', target: { kind: 'edge', id: 'apim-aks' } },
];

test('findings are grouped errors, warnings, infos, in the order sent, with counts', () => {
  const groups = groupFindings(FINDINGS);
  assert.deepEqual(
    groups.map((g) => [g.severity, g.total, g.entries.map((e) => e.finding.ruleId)]),
    [
      ['error', 2, ['GW001', 'GW101']],
      ['warning', 1, ['GW214']],
      ['info', 1, ['GW300']],
    ],
  );
  assert.deepEqual(
    groups[0]!.entries.map((e) => e.index),
    [0, 2],
    'entries keep their index in the list sent',
  );
  assert.deepEqual(
    groupFindings([]).map((g) => [g.severity, g.total, g.entries.length]),
    [
      ['error', 0, 0],
      ['warning', 0, 0],
      ['info', 0, 0],
    ],
  );
  assert.equal(countLabel('error', 2), '2 errors');
  assert.equal(countLabel('warning', 1), '1 warning');
  assert.equal(countLabel('info', 0), 'no infos');
});

test('the filter matches every word, case-insensitively, in the rule id, severity, message, element and location', () => {
  const ids = (filter: string) => groupFindings(FINDINGS, filter).flatMap((g) => g.entries.map((e) => e.finding.ruleId));
  assert.deepEqual(ids(''), ['GW001', 'GW101', 'GW214', 'GW300']);
  assert.deepEqual(ids('gw214'), ['GW214']);
  assert.deepEqual(ids('apim'), ['GW101', 'GW300']);
  assert.deepEqual(ids('apim edge'), ['GW300']);
  assert.deepEqual(ids('  WARNING  '), ['GW214']);
  assert.deepEqual(ids('certificate ingress-tls'), ['GW214']);
  assert.deepEqual(ids('70:12'), ['GW101']);
  assert.deepEqual(ids('document'), ['GW001']);
  assert.deepEqual(ids('nothing-like-this'), []);
  const filtered = groupFindings(FINDINGS, 'apim');
  assert.deepEqual(
    filtered.map((g) => [g.severity, g.entries.length, g.total]),
    [
      ['error', 1, 2],
      ['warning', 0, 1],
      ['info', 1, 1],
    ],
  );
  assert.equal(matchesFilter(FINDINGS[2]!, 'sku basic'), true);
});

test('locations, selection and reveal targets', () => {
  assert.equal(formatLocation(FINDINGS[2]!), '70:12');
  assert.equal(formatLocation(FINDINGS[3]!), '');
  assert.equal(selectionOf(FINDINGS[0]!), undefined);
  assert.deepEqual(selectionOf(FINDINGS[2]!), { kind: 'node', id: 'apim' });
  assert.deepEqual(selectionOf(FINDINGS[3]!), { kind: 'edge', id: 'apim-aks' });
  assert.equal(isSelected(FINDINGS[2]!, [{ kind: 'node', id: 'apim' }]), true);
  assert.equal(isSelected(FINDINGS[2]!, [{ kind: 'edge', id: 'apim' }]), false);

  const design = analyze(REFERENCE).design as Design;
  assert.deepEqual(revealPathOf(FINDINGS[2]!, design), ['nodes', 2, 'properties', 'sku'], 'its own path first');
  const mtls = design.edges.findIndex((e) => e.type === 'mtls');
  assert.deepEqual(revealPathOf(FINDINGS[3]!, design), ['edges', mtls], 'else its element');
  assert.deepEqual(revealPathOf(FINDINGS[0]!, design), [], 'else the top of the file');

  assert.deepEqual(openAction(FINDINGS[2]!, design), { kind: 'select', item: { kind: 'node', id: 'apim' } });
  assert.deepEqual(openAction(FINDINGS[0]!, design), { kind: 'reveal', path: [] });
  const gone: Finding = { ...FINDINGS[2]!, target: { kind: 'node', id: 'not-in-design' } };
  assert.deepEqual(openAction(gone, design), { kind: 'reveal', path: ['nodes', 2, 'properties', 'sku'] }, 'an element the design lacks is shown in the text');
});

test('on real validator output: a broken certificate reference is grouped, found by the filter and selects its edge', () => {
  const text = mutateReference((doc) => setAt(doc, ['edges', 'apim-aks', 'properties', 'clientCertificate'], 'missing-cert'));
  const { findings, design } = analyze(text);
  assert.ok(findings.length > 0);
  const groups = groupFindings(findings, 'missing-cert');
  const entries = groups.flatMap((g) => g.entries);
  assert.ok(entries.length > 0, 'the filter finds it');
  const onEdge = entries.find((e) => e.finding.target.kind === 'edge');
  assert.ok(onEdge, JSON.stringify(entries.map((e) => e.finding)));
  assert.match(formatLocation(onEdge.finding), /^\d+:\d+$/);
  assert.deepEqual(openAction(onEdge.finding, design), { kind: 'select', item: { kind: 'edge', id: 'apim-aks' } });
});
