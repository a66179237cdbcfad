/**
 * Large, realistic designs for the benchmark: the reference pattern (Application Gateway -> API Management
 * -> mTLS -> private AKS, with Key Vault, registry, databases over Private Link, monitoring) repeated with
 * fresh ids, around one set of shared services (internet, Log Analytics, Defender, Sentinel, Bastion, VNet).
 */

/** Nodes of the shared services. */
export const SHARED_NODES = 6;
/** Nodes of one repetition of the pattern (a "stamp"). */
export const STAMP_NODES = 10;

export interface GeneratedDesign {
  readonly text: string;
  readonly nodes: number;
  readonly edges: number;
  readonly certificates: number;
}

/**
 * A design with exactly `nodes` nodes (at least SHARED_NODES + STAMP_NODES): as many stamps as fit, the rest
 * made up of extra SQL databases reached over Private Link from the first cluster.
 */
export function generateDesign(nodes: number): GeneratedDesign {
  if (!Number.isInteger(nodes) || nodes < SHARED_NODES + STAMP_NODES) {
    throw new RangeError(`a generated design needs at least ${SHARED_NODES + STAMP_NODES} nodes`);
  }
  const stamps = Math.floor((nodes - SHARED_NODES) / STAMP_NODES);
  const extra = nodes - SHARED_NODES - stamps * STAMP_NODES;
  const certs: string[] = [];
  const nodeLines: string[] = [];
  const edgeLines: string[] = [];
  const layout: string[] = [];
  let edges = 0;
  const edge = (line: string) => {
    edgeLines.push(`  - ${line}`);
    edges++;
  };

  nodeLines.push(
    '  - id: internet\n    type: internet\n    label: API consumers',
    '  - id: logs\n    type: logAnalytics\n    properties:\n      retentionDays: 90',
    '  - id: defender\n    type: defenderForCloud\n    properties:\n      plans: [Containers, KeyVaults, Api, SqlServers, CosmosDbs, Arm]',
    '  - id: sentinel\n    type: sentinel',
    '  - id: bastion\n    type: bastion\n    label: Bastion and jump host',
    '  - id: vnet\n    type: virtualNetwork\n    properties:\n      addressSpace: 10.0.0.0/8',
  );
  edge('{ from: sentinel, to: logs, type: siem }');
  edge('{ from: bastion, to: logs, type: diagnostics }');
  edge('{ from: vnet, to: logs, type: diagnostics }');
  layout.push('  internet: { x: 0, y: 0 }', '  logs: { x: 0, y: 200 }', '  defender: { x: 0, y: 400 }');

  for (let k = 0; k < stamps; k++) {
    const s = String(k).padStart(4, '0');
    const id = (base: string) => `${base}-${s}`;
    const [appgw, apim, entra, aks, wi, acr, sql, cosmos, kv, ai] = ['appgw', 'apim', 'entra', 'aks', 'wi', 'acr', 'sql', 'cosmos', 'kv', 'appinsights'].map(id) as [
      string, string, string, string, string, string, string, string, string, string,
    ];
    const ca = id('internal-ca');
    certs.push(
      `  - id: ${ca}\n    role: ca\n    issuer: self\n    keyVault: ${kv}\n    notAfter: "2035-12-31"`,
      `  - id: ${id('gateway-tls')}\n    role: server\n    issuer: external\n    keyVault: ${kv}\n    dnsNames: [api-${s}.contoso.com]\n    autoRenew: true`,
      `  - id: ${id('apim-tls')}\n    role: server\n    issuer: ${ca}\n    keyVault: ${kv}\n    dnsNames: [gateway-${s}.internal.contoso.com]\n    autoRenew: true`,
      `  - id: ${id('ingress-tls')}\n    role: server\n    issuer: ${ca}\n    keyVault: ${kv}\n    dnsNames: [orders-${s}.internal.contoso.com]\n    autoRenew: true`,
      `  - id: ${id('apim-client')}\n    role: client\n    issuer: ${ca}\n    keyVault: ${kv}\n    autoRenew: true`,
    );
    nodeLines.push(
      `  - id: ${appgw}
    type: applicationGateway
    label: Application Gateway ${s}
    properties:
      sku: WAF_v2
      wafMode: Prevention
      hostName: api-${s}.contoso.com
      certificate: ${id('gateway-tls')}
      minTlsVersion: "1.2"`,
      `  - id: ${apim}
    type: apiManagement
    properties:
      sku: Premium
      virtualNetworkType: Internal
      hostName: gateway-${s}.internal.contoso.com
      certificate: ${id('apim-tls')}
      publisherEmail: platform-team@contoso.com
      publisherName: Contoso platform team
      apis:
        - name: orders
          path: orders
          service: orders
        - name: payments
          path: payments
          service: payments`,
      `  - id: ${entra}
    type: entraId
    properties:
      audience: api://stamp-${s}`,
      `  - id: ${aks}
    type: aksCluster
    properties:
      privateCluster: true
      ingress:
        controller: appRouting
        hostName: orders-${s}.internal.contoso.com
        serverCertificate: ${id('ingress-tls')}
        verifyClient: "on"
        verifyDepth: 1
        backendProtocol: https
      services:
        - name: orders
          namespace: orders
          port: 443
          path: /
        - name: payments
          namespace: payments
          port: 443
          path: /payments`,
      `  - id: ${wi}\n    type: managedIdentity`,
      `  - id: ${acr}\n    type: containerRegistry\n    properties:\n      sku: Premium`,
      `  - id: ${sql}\n    type: sqlDatabase\n    properties:\n      publicNetworkAccess: Disabled\n      minTlsVersion: "1.2"`,
      `  - id: ${cosmos}\n    type: cosmosDb\n    properties:\n      publicNetworkAccess: Disabled`,
      `  - id: ${kv}\n    type: keyVault\n    properties:\n      publicNetworkAccess: Disabled\n      purgeProtection: true`,
      `  - id: ${ai}\n    type: applicationInsights`,
    );
    edge(`{ from: internet, to: ${appgw}, type: https }`);
    edge(`{ from: ${appgw}, to: ${apim}, type: https }`);
    edge(`{ from: ${apim}, to: ${aks}, type: mtls, properties: { clientCertificate: ${id('apim-client')} } }`);
    edge(`{ from: ${apim}, to: ${entra}, type: tokenValidation }`);
    edge(`{ from: ${aks}, to: ${acr}, type: imagePull }`);
    edge(`{ from: ${aks}, to: ${acr}, type: privateLink, id: ${id('aks-acr-link')} }`);
    edge(`{ from: ${aks}, to: ${sql}, type: privateLink, properties: { identity: ${wi} } }`);
    edge(`{ from: ${aks}, to: ${cosmos}, type: privateLink, properties: { identity: ${wi} } }`);
    edge(`{ from: ${aks}, to: ${kv}, type: privateLink, id: ${id('aks-kv-link')} }`);
    for (const from of [appgw, apim, aks]) edge(`{ from: ${from}, to: ${kv}, type: secrets }`);
    for (const from of [appgw, apim, aks, acr, sql, cosmos, kv, ai]) edge(`{ from: ${from}, to: logs, type: diagnostics }`);
    edge(`{ from: ${apim}, to: ${ai}, type: diagnostics, id: ${id('apim-traces')} }`);
    edge(`{ from: ${aks}, to: ${ai}, type: diagnostics, id: ${id('aks-traces')} }`);
    for (const to of [aks, acr, kv, apim, sql, cosmos]) edge(`{ from: defender, to: ${to}, type: protects }`);
    edge(`{ from: bastion, to: ${aks}, type: remoteAccess }`);
    const x = 300 + (k % 20) * 240;
    const y = Math.floor(k / 20) * 1200;
    [appgw, apim, entra, aks, wi, acr, sql, cosmos, kv, ai].forEach((n, i) => layout.push(`  ${n}: { x: ${x}, y: ${y + i * 120} }`));
  }

  for (let j = 0; j < extra; j++) {
    const db = `db-${String(j).padStart(4, '0')}`;
    nodeLines.push(`  - id: ${db}\n    type: sqlDatabase\n    properties:\n      publicNetworkAccess: Disabled`);
    edge(`{ from: aks-0000, to: ${db}, type: privateLink, properties: { identity: wi-0000 } }`);
    edge(`{ from: ${db}, to: logs, type: diagnostics }`);
    edge(`{ from: defender, to: ${db}, type: protects }`);
  }

  const text = `# Generated by bench/designs.ts: ${stamps} repetitions of the reference pattern${extra ? ` and ${extra} extra databases` : ''}.
apiVersion: gatewright/v1
kind: Architecture
metadata:
  name: bench
  location: westeurope
  description: Benchmark design with ${nodes} nodes.
certificates:
${certs.join('\n')}
nodes:
${nodeLines.join('\n')}
edges:
${edgeLines.join('\n')}
layout:
${layout.join('\n')}
`;
  return { text, nodes, edges, certificates: certs.length };
}
