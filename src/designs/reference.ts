/**
 * The reference architecture (Microsoft Learn: https://learn.microsoft.com/azure/architecture/solution-ideas/articles/mutual-tls-deploy-aks-api-management) as a design:
 * every component of the article, wired as it describes, with its certificates.
 * `gatewright init` and "Gatewright: New Architecture" write it. It validates with no finding.
 */
export function referenceDesign(name = 'payments', location = 'westeurope'): string {
  return `# Gatewright design: end-to-end TLS from the internet to a private AKS cluster.
# Internet -> Application Gateway (WAF_v2) -> API Management (internal VNet) -> mTLS -> AKS ingress.
apiVersion: gatewright/v1
kind: Architecture
metadata:
  name: ${name}
  location: ${location}
  description: APIs published through Application Gateway and API Management, served by a private AKS cluster over mutual TLS.
  tags:
    workload: ${name}

certificates:
  # Private CA that issues every internal certificate. Only its public part is ever shared.
  - id: internal-ca
    role: ca
    issuer: self
    keyVault: kv
    notAfter: "2035-12-31"
  # Public listener certificate of Application Gateway, from a public CA.
  - id: gateway-tls
    role: server
    issuer: external
    keyVault: kv
    dnsNames: [api.contoso.com]
    autoRenew: true
  # Custom domain of the API Management gateway; Application Gateway trusts internal-ca for it.
  - id: apim-tls
    role: server
    issuer: internal-ca
    keyVault: kv
    dnsNames: [gateway.internal.contoso.com]
    autoRenew: true
  # Server certificate of the AKS ingress, the host API Management calls.
  - id: ingress-tls
    role: server
    issuer: internal-ca
    keyVault: kv
    dnsNames: [orders.internal.contoso.com]
    autoRenew: true
  # Client certificate API Management presents to the ingress (mTLS).
  - id: apim-client
    role: client
    issuer: internal-ca
    keyVault: kv
    autoRenew: true

nodes:
  - id: internet
    type: internet
    label: API consumers
  - id: appgw
    type: applicationGateway
    label: Application Gateway (WAF)
    properties:
      sku: WAF_v2
      wafMode: Prevention
      hostName: api.contoso.com
      certificate: gateway-tls
      minTlsVersion: "1.2"
  - id: apim
    type: apiManagement
    label: API Management (internal)
    properties:
      sku: Developer
      virtualNetworkType: Internal
      hostName: gateway.internal.contoso.com
      certificate: apim-tls
      publisherEmail: platform-team@contoso.com
      publisherName: Contoso platform team
      apis:
        - name: orders
          path: orders
          service: orders
  - id: entra
    type: entraId
    label: Microsoft Entra ID
    properties:
      audience: api://${name}-orders
  - id: aks
    type: aksCluster
    label: Private AKS cluster
    properties:
      privateCluster: true
      ingress:
        controller: appRouting
        hostName: orders.internal.contoso.com
        serverCertificate: ingress-tls
        verifyClient: "on"
        verifyDepth: 1
        backendProtocol: https
      services:
        - name: orders
          namespace: orders
          port: 443
          path: /
  - id: workload-identity
    type: managedIdentity
    label: Workload identity of the orders service
  - id: acr
    type: containerRegistry
    properties:
      sku: Premium
  - id: sql
    type: sqlDatabase
    properties:
      publicNetworkAccess: Disabled
      minTlsVersion: "1.2"
  - id: cosmos
    type: cosmosDb
    properties:
      publicNetworkAccess: Disabled
  - id: kv
    type: keyVault
    properties:
      publicNetworkAccess: Disabled
      purgeProtection: true
  - id: logs
    type: logAnalytics
    properties:
      retentionDays: 90
  - id: appinsights
    type: applicationInsights
  - id: defender
    type: defenderForCloud
    properties:
      plans: [Containers, KeyVaults, Api, SqlServers, CosmosDbs, Arm]
  - id: sentinel
    type: sentinel
  - id: bastion
    type: bastion
    label: Bastion and jump host
  - id: vnet
    type: virtualNetwork
    properties:
      addressSpace: 10.0.0.0/16

edges:
  # The request path, encrypted end to end.
  - { from: internet, to: appgw, type: https }
  - { from: appgw, to: apim, type: https }
  - from: apim
    to: aks
    type: mtls
    properties:
      clientCertificate: apim-client
  - { from: apim, to: entra, type: tokenValidation }
  # Platform services over Private Link, with managed identities.
  - { from: aks, to: acr, type: imagePull }
  - { from: aks, to: acr, type: privateLink, id: aks-acr-link }
  - { from: aks, to: sql, type: privateLink, properties: { identity: workload-identity } }
  - { from: aks, to: cosmos, type: privateLink, properties: { identity: workload-identity } }
  - { from: aks, to: kv, type: privateLink, id: aks-kv-link }
  # Certificates from Key Vault.
  - { from: appgw, to: kv, type: secrets }
  - { from: apim, to: kv, type: secrets }
  - { from: aks, to: kv, type: secrets }
  # Monitoring and security.
  - { from: appgw, to: logs, type: diagnostics }
  - { from: apim, to: logs, type: diagnostics }
  - { from: aks, to: logs, type: diagnostics }
  - { from: acr, to: logs, type: diagnostics }
  - { from: sql, to: logs, type: diagnostics }
  - { from: cosmos, to: logs, type: diagnostics }
  - { from: kv, to: logs, type: diagnostics }
  - { from: appinsights, to: logs, type: diagnostics }
  - { from: bastion, to: logs, type: diagnostics }
  - { from: vnet, to: logs, type: diagnostics }
  - { from: apim, to: appinsights, type: diagnostics, id: apim-traces }
  - { from: aks, to: appinsights, type: diagnostics, id: aks-traces }
  - { from: defender, to: aks, type: protects }
  - { from: defender, to: acr, type: protects }
  - { from: defender, to: kv, type: protects }
  - { from: defender, to: apim, type: protects }
  - { from: defender, to: sql, type: protects }
  - { from: defender, to: cosmos, type: protects }
  - { from: sentinel, to: logs, type: siem }
  - { from: bastion, to: aks, type: remoteAccess }

layout:
  internet: { x: 13, y: 274 }
  appgw: { x: 281, y: 274 }
  apim: { x: 525, y: 274 }
  aks: { x: 769, y: 274 }
  bastion: { x: 281, y: 124 }
  sql: { x: 1251, y: 174 }
  cosmos: { x: 1251, y: 274 }
  workload-identity: { x: 281, y: 540 }
  entra: { x: 525, y: 540 }
  acr: { x: 769, y: 540 }
  kv: { x: 1005, y: 540 }
  appinsights: { x: 281, y: 690 }
  logs: { x: 525, y: 690 }
  sentinel: { x: 769, y: 690 }
  defender: { x: 1005, y: 690 }
  vnet: { x: 281, y: 96 }
`;
}

/** A design with no components, for starting from scratch. */
export function blankDesign(name = 'my-api', location = 'westeurope'): string {
  return `# Gatewright design. Open it in VS Code to edit it on the canvas.
apiVersion: gatewright/v1
kind: Architecture
metadata:
  name: ${name}
  location: ${location}
certificates: []
nodes: []
edges: []
`;
}
