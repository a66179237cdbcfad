/**
 * What to tell the user about keeping a change, given VS Code's `files.autoSave` setting
 * (https://code.visualstudio.com/docs/editing/codebasics#_save-auto-save). Gatewright never writes the design
 * itself: its changes are edits of the open document. With auto save off they are kept only once the user saves;
 * with it on VS Code saves them (after a delay, or when the editor or the window loses focus). code-server's
 * default is `afterDelay`, VS Code's `off`. Pure: the host and the webview both word their messages with it.
 */
import type { z } from 'zod';
import type { AutoSaveSchema } from '../schemas/messages.js';

export type AutoSave = z.infer<typeof AutoSaveSchema>;

const MODES: readonly AutoSave[] = ['off', 'afterDelay', 'onFocusChange', 'onWindowChange'];

/** The setting's value as read from VS Code's configuration; anything unknown counts as off (nothing promised). */
export function readAutoSave(value: unknown): AutoSave {
  return (MODES as readonly unknown[]).includes(value) ? (value as AutoSave) : 'off';
}

/** True when VS Code saves the design without the user asking. */
export function savesAutomatically(autoSave: AutoSave): boolean {
  return autoSave !== 'off';
}

/** How the change reaches the file, as the end of a sentence: "save the design to keep the change", "...". */
export function keepingTheChange(autoSave: AutoSave): string {
  switch (autoSave) {
    case 'off':
      return 'save the design to keep the change';
    case 'afterDelay':
      return 'VS Code saves it automatically';
    case 'onFocusChange':
      return 'VS Code saves it automatically when the editor loses focus';
    case 'onWindowChange':
      return 'VS Code saves it automatically when the window loses focus';
  }
}

/** A sentence for a change made in the editor (not written by Gatewright): whether it is saved, and that undo takes it back. */
export function changedInTheEditor(autoSave: AutoSave): string {
  return savesAutomatically(autoSave)
    ? `The design is changed in the editor and ${keepingTheChange(autoSave)}; undo takes the change back.`
    : 'The design is changed in the editor, not saved: undo takes the change back.';
}
