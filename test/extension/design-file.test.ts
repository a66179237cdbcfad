/** New Architecture: file names and the design name derived from them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { designNameFor, withDesignSuffix } from '../../src/extension/commands/design-file.js';
import { DESIGN_NAME_PATTERN } from '../../src/schemas/design.js';

test('withDesignSuffix', () => {
  assert.equal(withDesignSuffix('/w/payments.gatewright.yaml'), '/w/payments.gatewright.yaml');
  assert.equal(withDesignSuffix('/w/payments'), '/w/payments.gatewright.yaml');
  assert.equal(withDesignSuffix('/w/payments.yaml'), '/w/payments.gatewright.yaml');
  assert.equal(withDesignSuffix('/w/payments.YML'), '/w/payments.gatewright.yaml');
  assert.equal(withDesignSuffix('/w/payments.gatewright'), '/w/payments.gatewright.yaml');
});

test('designNameFor: a name that fits the metadata pattern, or the fallback', () => {
  assert.equal(designNameFor('/w/payments.gatewright.yaml', 'x'), 'payments');
  assert.equal(designNameFor('C:\\w\\Payments API.gatewright.yaml', 'x'), 'payments-api');
  assert.equal(designNameFor('/w/2024_orders--v2.gatewright.yaml', 'x'), 'orders-v2');
  assert.equal(designNameFor('/w/a-very-long-design-name-indeed.gatewright.yaml', 'x'), 'a-very-long-design-n');
  assert.equal(designNameFor('/w/a.gatewright.yaml', 'my-api'), 'my-api');
  assert.equal(designNameFor('/w/123.gatewright.yaml', 'my-api'), 'my-api');
  assert.equal(designNameFor('/w/ünïcode.gatewright.yaml', 'my-api'), 'n-code');
  for (const f of ['/w/x-.gatewright.yaml', '/w/ab---.gatewright.yaml', '/w/__.gatewright.yaml']) assert.match(designNameFor(f, 'my-api'), DESIGN_NAME_PATTERN);
});
