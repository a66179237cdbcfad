/**
 * Deployment parameters. The generated infra/main.parameters.json holds what the design knows; what it cannot know
 * (the Entra group of the SQL administrators, a CA certificate whose file the design does not name...) is asked
 * once and kept in a parameters file next to the design: `<design file without .yaml>.parameters.json`, in ARM's
 * parameters-file format with values only, so that `az deployment group create --parameters @...` reads it too.
 * Nothing secret is ever stored there: secure parameters, secret-looking names and secret-looking values are refused.
 * Pure: the callers read and write the file.
 */
import { errorMessage } from '../model/error-message.js';

/** A parameter of the template, as the questions about it need it. */
export interface TemplateParameter {
  readonly name: string;
  /** ARM type: string, securestring, int, bool, object, secureObject, array. */
  readonly type: string;
  readonly description?: string;
  readonly hasDefault: boolean;
  readonly allowedValues?: readonly unknown[];
}

export type ParameterValues = Readonly<Record<string, unknown>>;

/** Where a merged value came from. */
export type ParameterSource = 'generated' | 'saved';

export interface MergedParameters {
  /** The `parameters` object of the deployment: `{ name: { value } }`. Parameters left to their default are absent. */
  readonly parameters: Readonly<Record<string, { readonly value: unknown }>>;
  readonly sources: Readonly<Record<string, ParameterSource>>;
  /** Parameters without a default that neither the generated file nor the saved answers give: ask for these. */
  readonly missing: readonly TemplateParameter[];
  /** Saved answers the template does not declare (a parameter the design no longer needs); left out of `parameters`. */
  readonly unknown: readonly string[];
  /** Saved answers that were left out because they break a rule (a secret), with why. */
  readonly refused: readonly { readonly name: string; readonly reason: string }[];
}

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

/** The parameters file of a design file: `payments.gatewright.yaml` -> `payments.gatewright.parameters.json`. */
export function parametersFileFor(designPath: string): string {
  return `${designPath.replace(/\.ya?ml$/i, '')}.parameters.json`;
}

/** The parameters a template declares, in its order. */
export function templateParameters(template: unknown): TemplateParameter[] {
  const params = isObject(template) && isObject(template.parameters) ? template.parameters : {};
  return Object.entries(params).map(([name, raw]) => {
    const p = isObject(raw) ? raw : {};
    const description = isObject(p.metadata) && typeof p.metadata.description === 'string' ? p.metadata.description : undefined;
    return {
      name,
      type: typeof p.type === 'string' ? p.type : 'string',
      ...(description ? { description } : {}),
      hasDefault: 'defaultValue' in p,
      ...(Array.isArray(p.allowedValues) ? { allowedValues: p.allowedValues } : {}),
    };
  });
}

/** The values of a parameters file (ARM's format `{ parameters: { x: { value } } }`, or a plain `{ x: value }` map). */
export function parseParametersFile(text: string): { values: Record<string, unknown>; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { values: {}, problems: [`it is not JSON: ${errorMessage(e)}`] };
  }
  if (!isObject(json)) return { values: {}, problems: ['it is not a JSON object'] };
  const entries = isObject(json.parameters) ? json.parameters : json;
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (name.startsWith('$') || (entries === json && name === 'contentVersion')) continue;
    if (entries !== json) {
      if (!isObject(entry) || !('value' in entry)) {
        problems.push(`parameter "${name}" has no "value"${isObject(entry) && 'reference' in entry ? ' (Key Vault references are not kept here: give the value at deployment time)' : ''}`);
        continue;
      }
      values[name] = entry.value;
    } else {
      values[name] = entry;
    }
  }
  return { values, problems };
}

/** The parameters file text for saved answers; throws a RangeError naming the first value that looks secret. */
export function serializeParametersFile(values: ParameterValues, template?: unknown): string {
  const types = new Map(templateParameters(template).map((p) => [p.name, p.type]));
  const parameters: Record<string, { value: unknown }> = {};
  for (const name of Object.keys(values).sort()) {
    const reason = secretProblem(name, values[name], types.get(name));
    if (reason) throw new RangeError(`parameter "${name}" is not saved: ${reason}`);
    parameters[name] = { value: values[name] };
  }
  return `${JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', parameters }, null, 2)}\n`;
}

/**
 * Why a parameter must not be kept in a file next to the design, or undefined when it may: a secure type, a name that
 * says secret (password, token, key, connection string; names of secret *identifiers* such as ...SecretUri are fine),
 * or a value that looks like a secret (a private key, a JWT, a connection string with a key, a SAS signature).
 */
export function secretProblem(name: string, value: unknown, type?: string): string | undefined {
  if (type && /^secure(string|object)$/i.test(type)) return `it is a ${type} parameter: give it at deployment time, never in a file`;
  if (SECRET_NAME.test(name) && !IDENTIFIER_NAME.test(name)) return 'its name says it is a secret: give it at deployment time (or keep it in Key Vault), never in a file';
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  for (const [pattern, what] of SECRET_VALUES) if (pattern.test(text)) return `its value looks like ${what}; secrets are never stored`;
  return undefined;
}

const SECRET_NAME = /password|passwd|pwd|secret|token|credential|api[-_]?key|access[-_]?key|account[-_]?key|shared[-_]?key|private[-_]?key|connection[-_]?string|sas\b|pfx/i;
/** Names of things that point at secrets without being secrets. */
const IDENTIFIER_NAME = /(uri|url|id|ids|name|names|identifier|version|expiry|expiration)$/i;
const SECRET_VALUES: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, 'an access token (JWT)'],
  [/(AccountKey|SharedAccessKey|Password|Pwd)\s*=\s*[^;\s]+/i, 'a connection string with a key or password'],
  [/[?&]sig=[A-Za-z0-9%+/=]{16,}/, 'a SAS URL with its signature'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with a password in it'],
];

/**
 * The deployment's parameters: the generated parameters file's values, overridden by the saved answers; and what is
 * still missing. Saved answers that look secret are refused, never sent.
 */
export function mergeParameters(template: unknown, generatedParametersText: string | undefined, saved: ParameterValues = {}): MergedParameters {
  const declared = templateParameters(template);
  const names = new Set(declared.map((p) => p.name));
  const generated = generatedParametersText === undefined ? {} : parseParametersFile(generatedParametersText).values;
  const parameters: Record<string, { value: unknown }> = {};
  const sources: Record<string, ParameterSource> = {};
  for (const [name, value] of Object.entries(generated)) {
    if (!names.has(name)) continue;
    parameters[name] = { value };
    sources[name] = 'generated';
  }
  const refused: { name: string; reason: string }[] = [];
  const unknown: string[] = [];
  const types = new Map(declared.map((p) => [p.name, p.type]));
  for (const [name, value] of Object.entries(saved)) {
    if (!names.has(name)) {
      unknown.push(name);
      continue;
    }
    const reason = secretProblem(name, value, types.get(name));
    if (reason) {
      refused.push({ name, reason });
      continue;
    }
    if (value === undefined || value === '') continue;
    parameters[name] = { value };
    sources[name] = 'saved';
  }
  const missing = declared.filter((p) => !p.hasDefault && !(p.name in parameters));
  return { parameters, sources, missing, unknown, refused };
}

/** A typed value from an answer typed by a person, for a parameter of the given ARM type; a RangeError when it does not fit. */
export function parseAnswer(parameter: TemplateParameter, text: string): unknown {
  const t = parameter.type.toLowerCase();
  const raw = text.trim();
  let value: unknown;
  if (t === 'int') {
    if (!/^-?\d+$/.test(raw)) throw new RangeError(`"${parameter.name}" needs a whole number`);
    value = Number(raw);
  } else if (t === 'bool') {
    if (!/^(true|false)$/i.test(raw)) throw new RangeError(`"${parameter.name}" needs true or false`);
    value = raw.toLowerCase() === 'true';
  } else if (t === 'object' || t === 'array') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new RangeError(`"${parameter.name}" needs a JSON ${t}`);
    }
    if (t === 'array' ? !Array.isArray(value) : !isObject(value) || Array.isArray(value)) throw new RangeError(`"${parameter.name}" needs a JSON ${t}`);
  } else {
    if (raw === '') throw new RangeError(`"${parameter.name}" needs a value`);
    value = raw;
  }
  if (parameter.allowedValues && !parameter.allowedValues.some((a) => a === value)) {
    throw new RangeError(`"${parameter.name}" must be one of ${parameter.allowedValues.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  const reason = secretProblem(parameter.name, value, parameter.type);
  if (reason) throw new RangeError(`"${parameter.name}": ${reason}`);
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
