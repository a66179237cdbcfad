/** The `state` message the designer draws: it carries when each certificate expires, checked by the shared schema. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stateMessage } from '../../src/extension/designer/state.js';
import { HostMessageSchema } from '../../src/schemas/messages.js';
import { analyze } from '../../src/validation/analyze.js';
import { filesOf, rootCa } from '../helpers/pki.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';

test('state carries certificateExpiry from the certificate files the analysis was given, valid against the schema', async () => {
  const ca = await rootCa('Internal CA', { notAfter: new Date('2029-09-30T12:00:00Z') });
  const text = mutateReference((doc) => setAt(doc, ['certificates', 'internal-ca', 'file'], 'certs/internal-ca.pem'));
  const state = stateMessage(analyze(text, { files: filesOf({ 'certs/internal-ca.pem': ca.pem }) }), 7, '/w/p.gatewright.yaml');
  assert.equal(HostMessageSchema.safeParse(state).success, true);
  assert.deepEqual(state.certificateExpiry, { 'internal-ca': { notAfter: '2029-09-30T12:00:00.000Z', source: 'file' } });
});

test('state without files: the design notAfter; text that is not YAML: no certificateExpiry', () => {
  const state = stateMessage(analyze(REFERENCE), 1, '/w/p.gatewright.yaml');
  assert.deepEqual(state.certificateExpiry, { 'internal-ca': { notAfter: '2035-12-31', source: 'design' } });
  const broken = stateMessage(analyze('nodes: [\n'), 2, '/w/p.gatewright.yaml');
  assert.equal(broken.syntaxError, true);
  assert.equal('certificateExpiry' in broken, false);
  assert.equal(HostMessageSchema.safeParse(broken).success, true);
});
