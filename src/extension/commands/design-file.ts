/** File names of new designs: the `.gatewright.yaml` suffix and a design name derived from the file. No vscode import. */
import { DESIGN_NAME_PATTERN } from '../../schemas/design.js';
import { DESIGN_SUFFIX } from '../../workspace/design-file.js';

/** `payments` -> `payments.gatewright.yaml`, `api.yaml` -> `api.gatewright.yaml`; a design file name stays. */
export function withDesignSuffix(fileName: string): string {
  if (fileName.endsWith(DESIGN_SUFFIX)) return fileName;
  return `${fileName.replace(/\.(ya?ml)$/i, '').replace(/\.gatewright$/i, '')}${DESIGN_SUFFIX}`;
}

/**
 * The metadata name for a design file: its base name made to fit the name pattern ([a-z][a-z0-9-]{1,19}), or
 * `fallback` when nothing usable is left ("Payments API.gatewright.yaml" -> "payments-api").
 */
export function designNameFor(fileName: string, fallback: string): string {
  const base = (fileName.split(/[\\/]/).pop() ?? '').replace(/\.gatewright\.ya?ml$/i, '').replace(/\.ya?ml$/i, '');
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 20)
    .replace(/-+$/, '');
  return DESIGN_NAME_PATTERN.test(name) ? name : fallback;
}
