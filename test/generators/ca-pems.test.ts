/** Generate hands the PEMs of the CA certificates it could read to the generator, and nothing else. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caPemsOf } from '../../src/generators/ca-pems.js';
import { parseDesign } from '../../src/document/parse.js';
import { mutateReference, setAt } from '../helpers/reference.js';

test('only CA certificates with a file that was read', () => {
  const text = mutateReference((doc) => {
    setAt(doc, ['certificates', 'internal-ca', 'file'], 'certs/internal-ca.pem');
    setAt(doc, ['certificates', 'apim-client', 'file'], 'certs/apim-client.pem');
  });
  const design = parseDesign(text).design!;
  const files = new Map([
    ['certs/internal-ca.pem', { status: 'read' as const, content: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n' }],
    ['certs/apim-client.pem', { status: 'read' as const, content: 'client' }],
  ]);
  assert.deepEqual([...caPemsOf(design, files)], [['internal-ca', files.get('certs/internal-ca.pem')!.content]]);
  assert.deepEqual([...caPemsOf(design, new Map([['certs/internal-ca.pem', { status: 'unreadable' as const, reason: 'no such file' }]]))], []);
  assert.deepEqual([...caPemsOf(design, new Map())], []);
});
