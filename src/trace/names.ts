/**
 * Names written as template expressions, read the way the generated README shows them: a globally unique name is a
 * readable prefix and uniqueString(resourceGroup().id), which only Resource Manager evaluates (it depends on the
 * resource group), so it reads as `<prefix><suffix>`; format() and concat() of such parts are put together as
 * Resource Manager would (src/model/arm-expression.ts); environment().suffixes.x, which differs between clouds, reads
 * as `<x>`. Anything else is not read (undefined).
 */
import { evaluateArmExpression, evaluateTemplateString, parseArmExpression, type ArmEvaluationContext } from '../model/arm-expression.js';
import { UNIQUE_SUFFIX_SHOWN } from '../model/naming.js';

const SHOWN: ArmEvaluationContext = {
  resourceGroupUniqueString: UNIQUE_SUFFIX_SHOWN,
  // The cloud's suffixes (environment().suffixes.keyvaultDns) differ between clouds: shown by name.
  environmentSuffix: (name) => `<${name}>`,
};

/** A name as the template writes it (a literal or `[expression]`), read as the README shows it; undefined when it cannot be. */
export function readName(raw: string): string | undefined {
  return evaluateTemplateString(raw, SHOWN);
}

/** The type and name segments of `[resourceId('Type', a, b)]` whose arguments readName can read. */
export function readResourceId(raw: string): { type: string; segments: string[] } | undefined {
  if (!raw.startsWith('[resourceId(') || !raw.endsWith(']')) return undefined;
  const n = parseArmExpression(raw.slice(1, -1));
  if (!n || n.kind !== 'call' || n.name !== 'resourceid' || n.properties.length || n.args.length < 2) return undefined;
  const values = n.args.map((a) => evaluateArmExpression(a, SHOWN));
  if (values.some((v) => v === undefined)) return undefined;
  const [type, ...segments] = values as string[];
  return { type: type!, segments };
}
