/**
 * The custom domain of API Management, applied in a second step.
 *
 * API Management reads its custom-domain certificate from Key Vault with its system-assigned identity (the only
 * identity a vault behind its firewall accepts: includes/api-management-key-vault-network.md). That identity exists
 * only once the service does, and it can read the vault only once a role assignment grants it access; a service
 * created with a Key Vault host name fails ("Failed to access KeyVault Secret ... using Managed Service Identity").
 * Microsoft's own template for this case (api-management-howto-use-managed-service-identity, "Obtain a custom
 * TLS/SSL certificate for the API Management instance from Key Vault") deploys the service, grants its identity
 * access, then deploys the service again with hostnameConfigurations from a nested deployment. This module is that
 * nested deployment: the same service, the same properties, plus the host names.
 *
 * The nested template cannot refer to the resources and parameters of main.bicep, so every expression of the
 * service body becomes a parameter of the module, passed from main.bicep (`lift`).
 */
import { ExprNode, isPlainObject, ParamRef, param, type Expr, type ExprObject } from '../../ir/expr.js';
import { TemplateBuilder, type NestedDeployment, type ParamType, type Resource } from '../../ir/template.js';
import type { AzureBuild } from '../build.js';

interface Lifted {
  readonly template: TemplateBuilder;
  readonly params: Record<string, Expr>;
  readonly byOuter: Map<string, string>;
}

/** Replaces every expression (not literal) in `e` with a parameter of the nested template. */
function lift(b: AzureBuild, e: Expr, hint: string, out: Lifted): Expr {
  if (e === null || typeof e !== 'object') return e;
  if (e instanceof ExprNode) {
    // The same outer parameter keeps its name; anything else is named after the property it fills.
    const outerKey = e instanceof ParamRef ? `param:${e.name}` : undefined;
    const known = outerKey ? out.byOuter.get(outerKey) : undefined;
    if (known) return param(known);
    let name = e instanceof ParamRef ? e.name : hint;
    for (let i = 2; out.params[name] !== undefined; i++) name = `${e instanceof ParamRef ? e.name : hint}${i}`;
    const outer = e instanceof ParamRef ? b.t.build().parameters.find((p) => p.name === e.name) : undefined;
    const type: ParamType = outer?.type ?? 'string';
    out.template.parameter({ name, type, description: outer?.description ?? `The ${hint} of the service, from main.bicep.` });
    out.params[name] = e;
    if (outerKey) out.byOuter.set(outerKey, name);
    return param(name);
  }
  if (Array.isArray(e)) return e.map((x) => lift(b, x, hint, out));
  if (isPlainObject(e)) {
    const o: Record<string, Expr> = {};
    for (const [k, v] of Object.entries(e)) if (v !== undefined) o[k] = lift(b, v, k, out);
    return o;
  }
  return e;
}

/**
 * Adds the module that deploys `service` again with `hostnameConfigurations`. It waits (at render time) for
 * `waitFor()`: the role assignments giving the identity access to the vault and the service's other children.
 */
export function customDomainModule(
  b: AzureBuild,
  nodeId: string,
  service: Resource,
  hostnameConfigurations: readonly ExprObject[],
  condition?: Expr,
): NestedDeployment {
  const template = new TemplateBuilder(`API Management "${String(service.name)}" again, with its custom domain from Key Vault (second step).`);
  const lifted: Lifted = { template, params: {}, byOuter: new Map() };
  // The service's own hostnameConfigurations (a choice on whether it exists) are replaced here: not lifted.
  const own = isPlainObject(service.body.properties ?? null) ? (service.body.properties as ExprObject) : {};
  const ownProperties = Object.fromEntries(Object.entries(own).filter(([k]) => k !== 'hostnameConfigurations'));
  const body = lift(b, { ...service.body, properties: ownProperties }, 'value', lifted) as ExprObject;
  const properties = isPlainObject(body.properties ?? null) ? (body.properties as ExprObject) : {};
  const hostnames = lift(b, [...hostnameConfigurations], 'keyVaultId', lifted);
  template.resource({
    symbol: 'service',
    type: service.type,
    apiVersion: service.apiVersion,
    name: service.name,
    description: 'The service exactly as main.bicep declares it, plus its custom host names (Key Vault certificates read with the system-assigned identity).',
    body: { ...body, properties: { ...properties, hostnameConfigurations: hostnames } },
  });
  // Named after the service's readable name (no unique suffix): `<name>-custom-domain`, as deploy's resource map reads it.
  const node = b.index.nodes.get(nodeId);
  const name = node ? `${b.baseName(node)}-custom-domain`.slice(0, 64) : `${nodeId}-custom-domain`;
  return b.t.module({
    symbol: `${nodeId}-custom-domain`,
    name,
    file: `${nodeId}-custom-domain`.toLowerCase(),
    template: template.build(),
    params: lifted.params,
    ...(condition === undefined ? {} : { condition }),
    description: `API Management "${nodeId}": its custom domain, once its identity can read the certificate in Key Vault (Microsoft's two-step pattern for a system-assigned identity).`,
  });
}
