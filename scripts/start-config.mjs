// What `npm start` (scripts/start.mjs) gives code-server: the user settings, the command line and the address to
// open. One module so that the end-to-end test of the first visit (test/e2e/first-visit.test.ts) checks exactly
// what `npm start` serves.
//
// Why the design is opened by the extension and not by the address: VS Code's web workbench opens the files of
// the address (`?payload=[["openFile", ...]]`) while it starts, before the extensions' contributions (the custom
// editor of *.gatewright.yaml) are registered. Its editor resolver waits for them only when its cache of editor
// patterns, kept in the browser's storage from the previous visit, lists the file; a fresh browser has no cache,
// so the file fell back to the text editor on every first visit. The extension registers the designer when it
// activates and then opens the designs listed in `gatewright.openOnStartup` with it, which does not depend on
// what the browser remembers.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The settings `npm start` needs: a quiet workbench, the designer for designs, and the design to open. */
export function startSettings(designs) {
  return {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    // The designer is already the default editor of designs (package.json, customEditors priority "default"); the
    // association makes it so even when another extension also claims *.yaml files.
    'workbench.editorAssociations': { '*.gatewright.yaml': 'gatewright.designer' },
    'gatewright.openOnStartup': designs,
  };
}

/**
 * Writes the settings into `file` (VS Code's user settings.json). An existing file keeps every setting of its own
 * and gains the ones `npm start` needs; a file that is not plain JSON (VS Code allows comments) is left alone.
 * Returns what was done, for the console.
 */
export function writeStartSettings(file, designs) {
  const wanted = startSettings(designs);
  if (!existsSync(file)) {
    writeFileSync(file, JSON.stringify(wanted, null, 2) + '\n');
    return 'written';
  }
  let current;
  try {
    current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return 'kept (not plain JSON: add gatewright.openOnStartup and workbench.editorAssociations by hand)';
  }
  if (!current || typeof current !== 'object' || Array.isArray(current)) return 'kept (not a JSON object)';
  const merged = { ...current };
  for (const key of ['workbench.editorAssociations', 'gatewright.openOnStartup']) merged[key] = wanted[key];
  for (const [key, value] of Object.entries(wanted)) if (!(key in merged)) merged[key] = value;
  merged['workbench.editorAssociations'] = { ...(current['workbench.editorAssociations'] ?? {}), ...wanted['workbench.editorAssociations'] };
  writeFileSync(file, JSON.stringify(merged, null, 2) + '\n');
  return 'updated';
}

/** code-server's arguments after the common ones (config, user data, extensions): serve `folder` on host:port. */
export function serveArgs(host, port, folder) {
  return ['--bind-addr', `${host}:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', folder];
}

/** The address to open: the workbench on `folder` (the extension opens the design, see above). */
export function startUrl(host, port, folder) {
  return `http://${host}:${port}/?folder=${encodeURIComponent(folder)}`;
}
