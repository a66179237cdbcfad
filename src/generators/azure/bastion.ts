/**
 * Azure Bastion: the operators' way into the private network (and to the private AKS API server).
 *
 * Facts (https://learn.microsoft.com/azure/bastion/bastion-nsg; Azure/azure-quickstart-templates azure-bastion-nsg; AVM
 * avm/res/network/bastion-host): the host sits in the subnet named exactly AzureBastionSubnet (the network
 * builder's 'bastion' subnet) and needs a Standard, Static public IP. The Standard SKU with native-client
 * tunnelling (enableTunneling) lets `az aks bastion` (Azure CLI) open a tunnel to a private cluster's API server
 * and `az network bastion ssh|tunnel` reach machines, so no jump host is needed. A jump host VM is not generated:
 * it would need a credential (a password or an SSH key) that a generated template must not hold; a note says how
 * to add one.
 */
import { idOf } from '../ir/expr.js';
import type { AzureBuild } from './build.js';

export const PUBLIC_IP_TYPE = 'Microsoft.Network/publicIPAddresses';
export const BASTION_TYPE = 'Microsoft.Network/bastionHosts';
export const NETWORK_API = '2025-05-01';

export function buildBastion(b: AzureBuild): void {
  const nodes = b.nodes('bastion');
  const node = nodes[0];
  if (!node) return;
  const name = b.name(node);
  const subnet = b.subnet('bastion');
  const publicIp = b.resource({
    symbol: `${node.id}-public-ip`,
    type: PUBLIC_IP_TYPE,
    apiVersion: NETWORK_API,
    name: `${name}-pip`,
    description: `Public IP of Bastion "${node.id}": Standard SKU, static (Bastion requires both).`,
    body: {
      ...b.placed(),
      sku: { name: 'Standard', tier: 'Regional' },
      properties: {
        publicIPAllocationMethod: 'Static',
        publicIPAddressVersion: 'IPv4',
      },
    },
  });
  const host = b.resource({
    symbol: `${node.id}-host`,
    type: BASTION_TYPE,
    apiVersion: NETWORK_API,
    name,
    description: `Bastion "${node.id}": Standard SKU with native-client tunnelling, in AzureBastionSubnet.`,
    body: {
      ...b.placed(),
      sku: { name: 'Standard' },
      properties: {
        enableTunneling: true,
        ipConfigurations: [
          {
            name: 'ipconfig',
            properties: {
              subnet: { id: idOf(subnet) },
              publicIPAddress: { id: idOf(publicIp) },
            },
          },
        ],
      },
    },
  });
  for (const n of nodes) b.setNodeResource(n, host);
  if (nodes.length > 1) {
    b.notes.push(
      `A virtual network holds one Bastion host (in its single AzureBastionSubnet): the bastion nodes ${nodes.map((n) => `"${n.id}"`).join(', ')} share the host "${name}".`,
    );
  }
  const clusters = [...new Set(nodes.flatMap((n) => b.index.outgoing(n.id, 'remoteAccess').flatMap((e) => (e.to?.type === 'aksCluster' ? [e.to] : []))))];
  for (const cluster of clusters) {
    b.notes.push(
      `Reach the API server of AKS cluster "${cluster.id}" through Bastion "${name}": az aks bastion --resource-group <resource group> --name ${b.name(cluster)} --bastion <resource id of ${name}> (Azure CLI with the aks-preview extension; your Entra ID identity needs an Azure Kubernetes Service RBAC role on the cluster).`,
    );
  }
  b.notes.push(
    `No jump host VM is generated (it would need a password or a key in the template). If you need one, add a Linux VM without a public IP in the virtual network with SSH public-key authentication only (disablePasswordAuthentication: true), and connect with az network bastion ssh.`,
  );
}
