/**
 * Messages about saving follow VS Code's files.autoSave: with auto save on (code-server's default is afterDelay)
 * nothing says "save it to keep the change"; with it off, every message says so. The setting travels to the canvas
 * in the `state` message, checked by the shared schema on both sides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHostMessage } from '../../src/extension/designer/protocol.js';
import { stateMessage } from '../../src/extension/designer/state.js';
import { replacementQuestion } from '../../src/extension/commands/certificate-replacements.js';
import { changedInTheEditor, keepingTheChange, readAutoSave, savesAutomatically, type AutoSave } from '../../src/model/saving.js';
import { HostMessageSchema, type HostMessage } from '../../src/schemas/messages.js';
import { reduce, INITIAL_STATE } from '../../src/webview/store.js';
import { analyze } from '../../src/validation/analyze.js';
import { REFERENCE } from '../helpers/reference.js';

const ON: readonly AutoSave[] = ['afterDelay', 'onFocusChange', 'onWindowChange'];

test('the setting as VS Code gives it: the four modes, anything else (missing, misspelt, not a string) is off', () => {
  for (const mode of ['off', ...ON]) assert.equal(readAutoSave(mode), mode);
  for (const other of [undefined, null, '', 'AfterDelay', 'on', true, 1, {}]) assert.equal(readAutoSave(other), 'off', JSON.stringify(other));
});

test('auto save off: save to keep the change; on: saved automatically, never "save it"', () => {
  assert.equal(savesAutomatically('off'), false);
  assert.match(keepingTheChange('off'), /^save the design to keep the change$/);
  assert.match(changedInTheEditor('off'), /not saved/);
  for (const mode of ON) {
    assert.equal(savesAutomatically(mode), true);
    const kept = keepingTheChange(mode);
    assert.match(kept, /saves it automatically/, mode);
    assert.doesNotMatch(kept, /save the design|to keep/, mode);
    assert.match(changedInTheEditor(mode), /saves it automatically/, mode);
    assert.doesNotMatch(changedInTheEditor(mode), /not saved/, mode);
    assert.match(changedInTheEditor(mode), /undo takes the change back/, mode);
  }
  assert.match(keepingTheChange('onFocusChange'), /when the editor loses focus/);
  assert.match(keepingTheChange('onWindowChange'), /when the window loses focus/);
});

test('the replacement question of the development certificates says whether the design is saved', () => {
  const r = { files: [{ id: 'internal-ca', path: 'certs/ca.pem', why: 'expired' }], repointed: [] };
  assert.match(replacementQuestion(r, 'payments.gatewright.yaml')!.detail, /changed in the editor, not saved/);
  assert.match(replacementQuestion(r, 'payments.gatewright.yaml', 'off')!.detail, /not saved/);
  const auto = replacementQuestion(r, 'payments.gatewright.yaml', 'afterDelay')!.detail;
  assert.match(auto, /changed in the editor and VS Code saves it automatically/);
  assert.doesNotMatch(auto, /not saved/);
});

test('the state message carries the setting through the schema to the canvas store', () => {
  const analysis = analyze(REFERENCE);
  for (const mode of ['off', ...ON] as AutoSave[]) {
    const state = stateMessage(analysis, 1, 'p.gatewright.yaml', mode);
    const checked = checkHostMessage(state);
    assert.ok(checked.ok, checked.ok ? '' : checked.error);
    assert.equal(state.autoSave, mode);
    // The webview's side: its schema check, then its store.
    const parsed = HostMessageSchema.parse(JSON.parse(JSON.stringify(state)));
    assert.ok(parsed.type === 'state');
    assert.equal(reduce(INITIAL_STATE, { type: 'state', message: parsed }).autoSave, mode);
  }
  assert.equal(stateMessage(analysis, 1, 'p.gatewright.yaml').autoSave, 'off', 'off unless the host says otherwise');
  const bogus = { ...stateMessage(analysis, 1, 'p.gatewright.yaml'), autoSave: 'sometimes' } as unknown as HostMessage;
  assert.equal(checkHostMessage(bogus).ok, false, 'an unknown mode is refused');
  assert.equal(HostMessageSchema.safeParse(bogus).success, false);
});
