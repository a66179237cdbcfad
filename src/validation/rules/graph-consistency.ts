/** Consistency across the design: APIs and services, single virtual network and Defender node, Azure names, Key Vault certificate names, connected components, used certificates. */
import type { Certificate, DesignNode } from '../../schemas/design.js';
import type { EditTarget } from '../../schemas/operations.js';
import { defineRule, type Rule } from '../rule.js';
import { NAME_RULES, checkableName, nameProblem, resourceName } from '../../model/naming.js';
import { setOp, fixWith, certificateReferences, list, GATEWRIGHT, NAME_RULES_URL, repairName } from './graph-support.js';

export const GRAPH_CONSISTENCY_RULES: Rule[] = [
  defineRule({
    id: 'GW023',
    name: 'api-service',
    category: 'graph',
    severity: 'error',
    title: 'Every API names a service of a cluster its API Management calls',
    rationale: 'API Management forwards an API to an AKS service through the ingress it calls over mTLS or HTTPS; a service that no called cluster defines has no route, and the API answers 404 or 500.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Nodes" (apiManagement apis, aksCluster services)' },
    *check(ctx) {
      const servicesOf = new Map<string, Set<string>>();
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const names = servicesOf.get(aks.id) ?? new Set<string>();
        for (const s of aks.properties.services) names.add(s.name);
        servicesOf.set(aks.id, names);
      }
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const clusters = new Set<string>();
        for (const e of ctx.outgoing(apim.id)) {
          if ((e.edge.type === 'mtls' || e.edge.type === 'https') && e.to?.type === 'aksCluster') clusters.add(e.to.id);
        }
        if (clusters.size === 0) continue; // GW127 reports an API Management with APIs and no backend.
        const available = new Set<string>();
        for (const c of clusters) for (const s of servicesOf.get(c) ?? []) available.add(s);
        const apis = apim.properties.apis;
        for (let i = 0; i < apis.length; i++) {
          const api = apis[i]!;
          if (available.has(api.service)) continue;
          yield ctx.atNode(
            apim,
            `API "${api.name}" of API Management "${apim.id}" forwards to service "${api.service}", which no cluster it calls (${list(clusters)}) defines; services there: ${list(available)}`,
            ['properties', 'apis', i, 'service'],
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW024',
    name: 'duplicate-api-name',
    category: 'graph',
    severity: 'error',
    title: 'API names are unique within an API Management',
    rationale: 'An API name is the name of the API resource under the service (case-insensitive): two APIs with one name overwrite each other when deployed.',
    source: { tool: 'Microsoft Learn', ref: 'Naming rules: Microsoft.ApiManagement service/apis', url: NAME_RULES_URL },
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const seen = new Map<string, number>();
        const apis = apim.properties.apis;
        for (let i = 0; i < apis.length; i++) {
          const key = apis[i]!.name.toLowerCase();
          const first = seen.get(key);
          if (first === undefined) seen.set(key, i);
          else yield ctx.atNode(apim, `API Management "${apim.id}" has two APIs named "${apis[i]!.name}" (APIs ${first + 1} and ${i + 1}); rename one`, ['properties', 'apis', i, 'name']);
        }
      }
    },
  }),
  defineRule({
    id: 'GW025',
    name: 'duplicate-api-path',
    category: 'graph',
    severity: 'error',
    title: 'API paths are unique within an API Management',
    rationale: 'The path (URL suffix) identifies an API and all its operations within the service; two APIs with one path cannot both be deployed, and requests could not be routed between them.',
    source: { tool: 'Microsoft Learn', ref: 'API Management apis: path', url: 'https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service/apis' },
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const seen = new Map<string, number>();
        const apis = apim.properties.apis;
        for (let i = 0; i < apis.length; i++) {
          const api = apis[i]!;
          const key = api.path.replace(/^\/+|\/+$/g, '').toLowerCase();
          const first = seen.get(key);
          if (first === undefined) {
            seen.set(key, i);
            continue;
          }
          const shown = key === '' ? 'the root path' : `path "${key}"`;
          yield ctx.atNode(apim, `APIs "${apis[first]!.name}" and "${api.name}" of API Management "${apim.id}" both use ${shown}; give each API its own path`, ['properties', 'apis', i, 'path']);
        }
      }
    },
  }),
  defineRule({
    id: 'GW026',
    name: 'duplicate-service',
    category: 'graph',
    severity: 'error',
    title: 'Service names are unique within a cluster',
    rationale:
      'Kubernetes service names are unique within a namespace, and APIs name their service by name alone: the same name twice in a namespace cannot be deployed, and in two namespaces it makes the API route ambiguous.',
    source: { tool: 'Kubernetes', ref: 'Object names and IDs', url: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/' },
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const byName = new Map<string, { index: number; namespace: string }>();
        const services = aks.properties.services;
        for (let i = 0; i < services.length; i++) {
          const s = services[i]!;
          const first = byName.get(s.name);
          if (!first) {
            byName.set(s.name, { index: i, namespace: s.namespace });
            continue;
          }
          const path = ['properties', 'services', i, 'name'];
          if (first.namespace === s.namespace) {
            yield ctx.atNode(aks, `AKS cluster "${aks.id}" defines service "${s.namespace}/${s.name}" twice (services ${first.index + 1} and ${i + 1}); rename or delete one`, path);
          } else {
            yield ctx.atNode(
              aks,
              `AKS cluster "${aks.id}" has a service "${s.name}" in namespaces "${first.namespace}" and "${s.namespace}"; APIs name services by name only, so the route is ambiguous: rename one`,
              path,
              { severity: 'warning' },
            );
          }
        }
      }
    },
  }),
  defineRule({
    id: 'GW027',
    name: 'single-virtual-network',
    category: 'graph',
    severity: 'error',
    title: 'The design has at most one virtual network',
    rationale:
      'The virtualNetwork node is the private network every private part lives in (spec, "Nodes"): the subnets of Application Gateway, API Management, AKS, Bastion and the private endpoints. With two, where each part goes is ambiguous.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Nodes" (virtualNetwork)' },
    *check(ctx) {
      const nets = ctx.nodesOfType('virtualNetwork');
      const first = nets[0];
      for (const net of nets.slice(1)) {
        if (net.id === first!.id) continue; // GW010 reports a repeated id.
        yield ctx.atNode(
          net,
          `the design already has virtual network "${first!.id}"; every private part lives in that one network, so delete "${net.id}"`,
          ['type'],
          fixWith(`Delete "${net.id}"`, { op: 'deleteNode', id: net.id }),
        );
      }
    },
    fixable: true,
  }),
  defineRule({
    id: 'GW028',
    name: 'single-defender',
    category: 'graph',
    severity: 'error',
    title: 'The design has at most one Defender for Cloud node',
    rationale:
      'Defender plans are subscription-wide pricings (Microsoft.Security/pricings named after the plan): two Defender nodes declare the same pricing resources twice, possibly with different settings, and the last deployed wins.',
    source: { tool: 'Microsoft Learn', ref: 'Microsoft.Security pricings', url: 'https://learn.microsoft.com/azure/templates/microsoft.security/pricings' },
    *check(ctx) {
      const all = ctx.nodesOfType('defenderForCloud');
      const first = all[0];
      for (const node of all.slice(1)) {
        if (node.id === first!.id) continue;
        yield ctx.atNode(node, `the design already has Defender for Cloud node "${first!.id}"; plans apply to the whole subscription, so put every plan in "${first!.id}" and connect its protects edges from there`, ['type']);
      }
    },
  }),
  defineRule({
    id: 'GW029',
    name: 'resource-name',
    category: 'graph',
    severity: 'error',
    title: 'Azure resource names, given or derived, follow the Azure naming rules',
    rationale:
      'A resource name is derived as <metadata.name>-<id> (Container Registry: without hyphens) unless the node gives one; a name that breaks the length or character rules of its resource type (Key Vault 3-24, Container Registry 5-50 alphanumerics, ...) fails the deployment.',
    source: { tool: 'Microsoft Learn', ref: 'Naming rules and restrictions for Azure resources', url: NAME_RULES_URL },
    fixable: true,
    *check(ctx) {
      const designName = ctx.design.metadata.name;
      for (const node of ctx.design.nodes) {
        const rule = NAME_RULES[node.type];
        if (!rule) continue;
        const named = resourceName(designName, node);
        const { name, derived } = named;
        const problem = nameProblem(rule, checkableName(named));
        if (!problem) continue;
        const target: EditTarget = { kind: 'node', id: node.id };
        if (derived) {
          const repaired = repairName(rule, name);
          yield ctx.atNode(
            node,
            `${rule.resource} "${node.id}" gets the derived name "${name}" (metadata.name + id), and ${problem}; set "name" to a valid ${rule.resource} name or shorten the id`,
            ['id'],
            repaired ? fixWith(`Name it "${repaired}"`, setOp(target, ['name'], repaired)) : {},
          );
        } else {
          const derivedName = resourceName(designName, { ...node, name: undefined } as DesignNode);
          const fallback = derivedName.name;
          const repaired = repairName(rule, name);
          const fix =
            nameProblem(rule, checkableName(derivedName)) === undefined
              ? fixWith(`Use the derived name "${fallback}"`, { op: 'unsetProperty', target, path: ['name'] })
              : repaired
                ? fixWith(`Name it "${repaired}"`, setOp(target, ['name'], repaired))
                : {};
          yield ctx.atNode(node, `${rule.resource} name "${name}" of "${node.id}" is invalid: ${problem}`, ['name'], fix);
        }
      }
    },
  }),
  defineRule({
    id: 'GW030',
    name: 'duplicate-resource-name',
    category: 'graph',
    severity: 'error',
    title: 'Two resources of one type do not get the same Azure name',
    rationale:
      'Azure names are case-insensitive and unique per type within a resource group (Key Vault, Container Registry, API Management, SQL and Cosmos DB across all of Azure): two nodes that resolve to one name deploy as one resource, the second overwriting the first.',
    source: { tool: 'Microsoft Learn', ref: 'Naming rules and restrictions for Azure resources', url: NAME_RULES_URL },
    *check(ctx) {
      const designName = ctx.design.metadata.name;
      const seen = new Map<string, DesignNode>();
      for (const node of ctx.design.nodes) {
        if (!NAME_RULES[node.type]) continue;
        const { name, derived } = resourceName(designName, node);
        const key = `${node.type}\u0000${name.toLowerCase()}`;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, node);
          continue;
        }
        if (first.id === node.id) continue; // GW010 reports a repeated id.
        yield ctx.atNode(
          node,
          `"${node.id}" and "${first.id}" would both be deployed as ${NAME_RULES[node.type]!.resource} "${name}"${derived ? ' (derived name)' : ''}; give one of them another name${NAME_RULES[node.type]!.global ? ` (${NAME_RULES[node.type]!.resource} names are unique across all of Azure)` : ''}`,
          derived ? ['id'] : ['name'],
        );
      }
    },
  }),
  defineRule({
    id: 'GW031',
    name: 'duplicate-key-vault-name',
    category: 'graph',
    severity: 'error',
    title: 'Certificates kept in one Key Vault have distinct names there',
    rationale:
      'A certificate is stored in its Key Vault under secretName, or its id when absent; Key Vault object names are case-insensitive, so two certificates with one name in one vault are one certificate, and one of the parties gets the wrong one.',
    source: { tool: 'Microsoft Learn', ref: 'Key Vault object names', url: 'https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates' },
    *check(ctx) {
      const seen = new Map<string, Certificate>();
      for (const cert of ctx.design.certificates) {
        if (cert.keyVault === undefined) continue;
        const name = cert.secretName ?? cert.id;
        const key = `${cert.keyVault}\u0000${name.toLowerCase()}`;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, cert);
          continue;
        }
        if (first.id === cert.id) continue; // GW015 reports a repeated id.
        yield ctx.atCertificate(
          cert,
          `certificates "${first.id}" and "${cert.id}" are both stored as "${name}" in Key Vault "${cert.keyVault}"; set a distinct secretName`,
          cert.secretName !== undefined ? ['secretName'] : ['id'],
        );
      }
    },
  }),
  defineRule({
    id: 'GW032',
    name: 'unconnected-node',
    category: 'graph',
    severity: 'info',
    title: 'Every component is connected',
    rationale: 'A component that nothing connects to and that connects to nothing is deployed and paid for but takes no part in the architecture; it is usually a connection not yet drawn.',
    source: GATEWRIGHT,
    *check(ctx) {
      const used = new Set<string>();
      for (const e of ctx.edges) {
        used.add(e.edge.from);
        used.add(e.edge.to);
        if (e.edge.type === 'privateLink' && e.edge.properties.identity !== undefined) used.add(e.edge.properties.identity);
      }
      for (const cert of ctx.design.certificates) if (cert.keyVault !== undefined) used.add(cert.keyVault);
      for (const node of ctx.design.nodes) {
        // The virtual network holds every private part implicitly: it needs no edge.
        if (node.type === 'virtualNetwork' || used.has(node.id)) continue;
        yield ctx.atNode(node, `${ctx.describe(node)} is not connected to anything; connect it or delete it`, ['id']);
      }
    },
  }),
  defineRule({
    id: 'GW033',
    name: 'unused-certificate',
    category: 'graph',
    severity: 'info',
    title: 'Every certificate is used',
    rationale: 'A certificate that no listener, domain, ingress, edge or other certificate uses is kept and renewed for nothing, and is often a sign that a reference names the wrong one.',
    source: GATEWRIGHT,
    *check(ctx) {
      const used = new Set<string>();
      for (const ref of certificateReferences(ctx)) used.add(ref.certId);
      for (const cert of ctx.design.certificates) if (cert.issuer !== cert.id) used.add(cert.issuer);
      for (const cert of ctx.design.certificates) {
        if (used.has(cert.id)) continue;
        yield ctx.atCertificate(cert, `certificate "${cert.id}" (${cert.role}) is not used by any node, edge or certificate; reference it or delete it`, ['id']);
      }
    },
  }),
];
