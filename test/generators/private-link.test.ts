/**
 * Private Link (src/generators/azure/private-link.ts): one private endpoint per service a privateLink edge reaches,
 * in the endpoints subnet with the service's groupId; one privatelink zone per service type, linked to the virtual
 * network; a zone group on each endpoint. Zones built from the cloud's suffixes where environment() has them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PRIVATE_DNS_ZONE_TYPE,
  PRIVATE_ENDPOINT_TYPE,
  VNET_LINK_TYPE,
  ZONE_GROUP_TYPE,
} from '../../src/generators/azure/private-link.js';
import { append, mutateReference, REFERENCE } from '../helpers/reference.js';
import { build, ofType, props, render, smallDesign, type Built } from './data-services.fixtures.js';

const reference = build(REFERENCE);

function endpoints(built: Built): Record<string, { groupId: string; target: string; zone: string }> {
  const out: Record<string, { groupId: string; target: string; zone: string }> = {};
  for (const pe of ofType(built, PRIVATE_ENDPOINT_TYPE)) {
    const connection = (props(pe).privateLinkServiceConnections as { properties: { privateLinkServiceId: never; groupIds: string[] } }[])[0]!;
    const group = ofType(built, ZONE_GROUP_TYPE).find((g) => g.parent === pe);
    assert.ok(group, `${String(pe.name)} has a zone group`);
    const config = (props(group).privateDnsZoneConfigs as { properties: { privateDnsZoneId: never } }[])[0]!;
    out[pe.name as string] = { groupId: connection.properties.groupIds.join(','), target: render(connection.properties.privateLinkServiceId), zone: render(config.properties.privateDnsZoneId) };
  }
  return out;
}

test('private link: the reference gets an endpoint per linked service, with the right groupId and zone', () => {
  const zones = Object.fromEntries(ofType(reference, PRIVATE_DNS_ZONE_TYPE).filter((z) => z.symbol.startsWith('privatelink')).map((z) => [z.symbol, render(z.name)]));
  assert.deepEqual(endpoints(reference), {
    'pe-paymentsacr': { groupId: 'registry', target: 'acr.id', zone: 'privatelinkAzurecrIoZone.id' },
    'pe-payments-sql': { groupId: 'sqlServer', target: 'sql.id', zone: 'privatelinkDatabaseWindowsNetZone.id' },
    'pe-payments-cosmos': { groupId: 'Sql', target: 'cosmos.id', zone: 'privatelinkDocumentsAzureComZone.id' },
    'pe-payments-kv': { groupId: 'vault', target: 'kv.id', zone: 'privatelinkVaultcoreAzureNetZone.id' },
  });
  assert.deepEqual(zones, {
    privatelinkAzurecrIoZone: '`privatelink${environment().suffixes.acrLoginServer}`',
    privatelinkDatabaseWindowsNetZone: '`privatelink${environment().suffixes.sqlServerHostname}`',
    privatelinkDocumentsAzureComZone: '"privatelink.documents.azure.com"',
    privatelinkVaultcoreAzureNetZone: '"privatelink.vaultcore.azure.net"',
  });
  for (const pe of ofType(reference, PRIVATE_ENDPOINT_TYPE)) {
    assert.equal(render(props(pe).subnet), '{id: subnetEndpoints.id}');
    assert.equal(pe.apiVersion, '2025-05-01');
    assert.deepEqual(pe.body.tags, { workload: 'payments' });
  }
});

test('private link: each zone is global, tagged, and linked once to the virtual network without registration', () => {
  for (const zone of ofType(reference, PRIVATE_DNS_ZONE_TYPE).filter((z) => z.symbol.startsWith('privatelink'))) {
    assert.equal(zone.apiVersion, '2024-06-01');
    assert.equal(zone.body.location, 'global');
    assert.deepEqual(zone.body.tags, { workload: 'payments' });
    const links = ofType(reference, VNET_LINK_TYPE).filter((l) => l.parent === zone);
    assert.equal(links.length, 1, `${zone.symbol} has one link`);
    assert.equal(links[0]!.body.location, 'global');
    assert.equal(render(props(links[0]!)), '{virtualNetwork: {id: vnet.id}, registrationEnabled: false}');
  }
});

test('private link: two clusters linked to one registry share its endpoint; two vaults share one zone', () => {
  const built = build(
    smallDesign(
      `- { id: blue, type: aksCluster }
       - { id: green, type: aksCluster }
       - { id: images, type: containerRegistry }
       - { id: kv1, type: keyVault }
       - { id: kv2, type: keyVault }`,
      `- { from: blue, to: images, type: privateLink }
       - { from: green, to: images, type: privateLink }
       - { from: blue, to: kv1, type: privateLink }
       - { from: green, to: kv2, type: privateLink }
       - { from: green, to: kv2, type: privateLink, id: again }`,
    ),
  );
  assert.deepEqual(Object.keys(endpoints(built)).sort(), ['pe-shop-kv1', 'pe-shop-kv2', 'pe-shopimages']);
  assert.equal(ofType(built, PRIVATE_DNS_ZONE_TYPE).length, 2, 'one zone per service type');
  assert.equal(ofType(built, VNET_LINK_TYPE).length, 2);
  const e = endpoints(built);
  assert.equal(e['pe-shop-kv1']!.zone, e['pe-shop-kv2']!.zone);
});

test('private link: a design without privateLink edges makes no endpoint or zone; one without Key Vault no vault zone', () => {
  const none = build(smallDesign(`- { id: aks, type: aksCluster }\n- { id: images, type: containerRegistry }`, `- { from: aks, to: images, type: imagePull }`));
  assert.equal(ofType(none, PRIVATE_ENDPOINT_TYPE).length, 0);
  assert.equal(ofType(none, PRIVATE_DNS_ZONE_TYPE).length, 0);

  const noVault = build(
    smallDesign(
      `- { id: aks, type: aksCluster }
       - { id: db, type: sqlDatabase }`,
      `- { from: aks, to: db, type: privateLink }`,
    ),
  );
  assert.deepEqual(ofType(noVault, PRIVATE_DNS_ZONE_TYPE).map((z) => render(z.name)), ['`privatelink${environment().suffixes.sqlServerHostname}`']);
});

test('private link: endpoint and network interface names fit Azure limits for long server names', () => {
  const long = 'a'.repeat(63);
  const built = build(
    mutateReference((doc) => {
      append(doc, 'nodes', { id: 'orders-db', type: 'sqlDatabase', name: long });
      append(doc, 'edges', { from: 'aks', to: 'orders-db', type: 'privateLink' });
    }),
  );
  const pe = ofType(built, PRIVATE_ENDPOINT_TYPE).find((r) => (r.name as string).startsWith('pe-aaa'));
  assert.ok(pe);
  assert.ok((pe.name as string).length <= 64);
  assert.ok((props(pe).customNetworkInterfaceName as string).length <= 80);
});
