/**
 * The trace of a request from the internet to the pod, hop by hop, read from the generated files (not the design),
 * so that a generator mistake shows up where it would bite: for each API of each API Management service, the
 * Application Gateway in front of it, API Management itself, the mutual TLS hop to the AKS ingress, the ingress's
 * route to the service, and the paths around the chain that must not exist. Pure: no I/O.
 */
import { check, TraceContext, type TraceInput } from './context.js';
import { apimChecks, apiPolicy } from './hops/apim.js';
import { aksSubnet, apimIngressChecks } from './hops/apim-ingress.js';
import { entryChecks } from './hops/entry.js';
import { gatewayApimChecks, gatewaySubnet } from './hops/gateway-apim.js';
import { ingressFor, pinnedAddress } from './hops/ingress.js';
import { ingressServiceChecks } from './hops/ingress-service.js';
import { noBypassChecks } from './hops/no-bypass.js';
import { apiPaths, type ApiPath } from './model.js';
import { parseCidr } from './network.js';
import { worst, type Check, type Hop, type HopId, type TracePath, type TraceReport } from './types.js';

export type { TraceInput } from './context.js';

export interface TraceOptions {
  /** Only the API of this name. */
  readonly api?: string;
}

export function traceRequests(input: TraceInput, options: TraceOptions = {}): TraceReport {
  const ctx = new TraceContext(input);
  const notes: string[] = [];
  const all = apiPaths(ctx);
  if (all.length === 0) notes.push('The template has no API Management API: there is no request path to trace.');
  const selected = options.api === undefined ? all : all.filter((p) => p.name === options.api);
  if (options.api !== undefined && selected.length === 0 && all.length > 0) notes.push(`No API named "${options.api}"; the APIs are ${[...new Set(all.map((p) => p.name))].join(', ')}.`);
  const paths = selected.map((p) => tracePath(ctx, p));
  return { version: 1, verdict: paths.length ? worst(paths.map((p) => p.verdict)) : 'fail', paths, notes };
}

function tracePath(ctx: TraceContext, path: ApiPath): TracePath {
  const hops: Hop[] = [];
  const apimNode = ctx.node('apiManagement', (n) => n.properties.hostName === path.apim.proxy?.host);
  const route = path.gateway;
  const appgwNode = ctx.node('applicationGateway', (n) => route !== undefined && n.properties.hostName !== undefined && JSON.stringify(route.resource.body).includes(`"${n.properties.hostName}"`));
  const internet = ctx.design.nodes.find((n) => n.type === 'internet' && (!appgwNode || ctx.design.edges.some((e) => e.from === n.id && e.to === appgwNode.id)));
  const ids = (...xs: (string | undefined)[]): string[] => xs.filter((x): x is string => x !== undefined);

  let publicHost: string | undefined;
  if (route) {
    const entry = entryChecks(ctx, route);
    publicHost = entry.host;
    hops.push(hop('entry', `Internet to Application Gateway${publicHost ? ` (${publicHost})` : ''}`, ids(internet?.id, appgwNode?.id), ctx.edgeIds(internet?.id, appgwNode?.id, ['https']), entry.checks));
    hops.push(hop('gateway-apim', 'Application Gateway to API Management', ids(appgwNode?.id, apimNode?.id), ctx.edgeIds(appgwNode?.id, apimNode?.id, ['https']), gatewayApimChecks(ctx, route, path.apim)));
  } else {
    hops.push(
      hop('entry', 'Internet to Application Gateway', ids(internet?.id), [], [
        check('entry.route', 'An Application Gateway routes to API Management', 'fail', `No Application Gateway in the template has a backend pool holding a host name of API Management ${path.apim.name} (${path.apim.hosts.join(', ')}): the API is not reachable from the internet.`, [ctx.arm.evidence(path.apim.main, ['name'])], {
          fix: 'Add an applicationGateway node and connect it to the apiManagement node with an https edge.',
        }),
      ]),
    );
  }

  const api = apimChecks(ctx, path, publicHost);
  const entraEdges = apimNode ? ctx.design.edges.filter((e) => e.from === apimNode.id && e.type === 'tokenValidation') : [];
  hops.push(hop('apim', `API Management: API ${path.name}`, ids(apimNode?.id, ...entraEdges.map((e) => e.to)), entraEdges.map((e) => e.id ?? `${e.from}-${e.to}`), api.checks));

  const host = api.backend.host;
  const front = ingressFor(ctx, host);
  const aksNode = ctx.node('aksCluster', (n) => n.properties.ingress.hostName === host);
  hops.push(hop('apim-ingress', `API Management to the ingress${host ? ` (${host})` : ''} over mutual TLS`, ids(apimNode?.id, aksNode?.id), ctx.edgeIds(apimNode?.id, aksNode?.id, ['mtls', 'https']), apimIngressChecks(ctx, path, api.backend, apiPolicy(ctx, path), front)));
  let ingressHop: Check[] = [];
  if (front && host) ingressHop = ingressServiceChecks(ctx, front, host).checks;
  else ingressHop = [check('ingress-service.route', 'A rule routes the host to the service', 'fail', `No ingress serves ${host ?? 'the backend host'}.`, [api.backend.evidence], { fix: 'Set the ingress hostName of the aksCluster node.' })];
  hops.push(hop('ingress-service', 'Ingress to the service', ids(aksNode?.id), [], ingressHop));

  const pinned = front ? pinnedAddress(ctx, front) : undefined;
  const ingressSubnet = aksSubnet(ctx, pinned?.address);
  hops.push(
    hop(
      'no-bypass',
      'No way around the chain',
      ids(apimNode?.id, aksNode?.id),
      [],
      noBypassChecks(ctx, { subnet: path.apim.subnet, allowed: route ? gatewaySubnet(ctx, route) : undefined }, { subnet: ingressSubnet, address: pinned ? parseCidr(pinned.address) : ingressSubnet?.prefixes[0], allowed: path.apim.subnet }),
    ),
  );
  const apiPathText = String((path.api.body.properties as { path?: unknown } | undefined)?.path ?? '');
  return {
    api: path.name,
    request: `https://${publicHost ?? path.apim.proxy?.host ?? `${path.apim.name}.azure-api.net`}/${apiPathText}`,
    verdict: worst(hops.map((h) => h.verdict)),
    hops,
  };
}

function hop(id: HopId, title: string, nodes: string[], edges: string[], checks: Check[]): Hop {
  return { id, title, nodes: [...new Set(nodes)], edges, verdict: worst(checks.map((c) => c.verdict)), checks };
}
