import type { RuleCase } from './case.js';
import { REFERENCE, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

const APP_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
/** The reference design with the API registration's application id: both token versions are accepted. */
const BOTH_VERSIONS = mutateReference((d) => setAt(d, ['nodes', 'entra', 'properties', 'applicationId'], APP_ID));
const withProducts = (products: unknown[]) => mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'products'], products));

export const PRODUCT_CASES: RuleCase[] = [
  {
    rule: 'GW480',
    title: 'a product holds an API the instance does not have',
    pass: withProducts([{ name: 'partners', apis: ['orders'] }]),
    fail: withProducts([{ name: 'partners', apis: ['orders', 'invoices'] }]),
    target: { kind: 'node', id: 'apim' },
    message: 'holds the API "invoices", which apim does not have',
  },
  {
    rule: 'GW481',
    title: 'two products share a name',
    pass: withProducts([{ name: 'partners', apis: ['orders'], subscriptions: ['contoso'] }, { name: 'internal', apis: ['orders'], subscriptions: ['fabrikam'] }]),
    fail: withProducts([{ name: 'partners', apis: ['orders'] }, { name: 'Partners', apis: ['orders'] }]),
    target: { kind: 'node', id: 'apim' },
    message: 'has two products named "Partners"',
  },
  {
    rule: 'GW482',
    title: 'an open product holds a subscription-required API',
    pass: withProducts([{ name: 'partners', apis: ['orders'], subscriptionRequired: true }]),
    fail: withProducts([{ name: 'partners', apis: ['orders'], subscriptionRequired: false }]),
    target: { kind: 'node', id: 'apim' },
    message: 'is open (no subscription), but it holds "orders"',
  },
  {
    rule: 'GW483',
    title: 'an API with neither subscription key nor token validation',
    pass: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'subscriptionRequired'], false)),
    fail: mutateReference((d) => {
      setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'subscriptionRequired'], false);
      deleteAt(d, ['edges', 'apim-entra']);
    }),
    target: { kind: 'node', id: 'apim' },
    message: 'anyone who reaches the gateway can call it',
  },
  {
    rule: 'GW484',
    title: 'a custom App ID URI without the application id',
    pass: BOTH_VERSIONS,
    fail: REFERENCE,
    target: { kind: 'node', id: 'entra' },
    message: 'set applicationId on entra',
  },
  {
    rule: 'GW485',
    title: 'required roles on an instance that validates no token',
    pass: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'requiredRoles'], ['Orders.Read'])),
    fail: mutateReference((d) => {
      setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'requiredRoles'], ['Orders.Read']);
      deleteAt(d, ['edges', 'apim-entra']);
    }),
    target: { kind: 'node', id: 'apim' },
    message: 'requires roles or scopes, but apim validates no token',
  },
  {
    rule: 'GW486',
    title: 'an open product lists subscriptions',
    pass: withProducts([{ name: 'partners', apis: ['orders'], subscriptions: ['contoso'] }]),
    fail: mutateReference((d) => {
      setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'subscriptionRequired'], false);
      setAt(d, ['nodes', 'apim', 'properties', 'products'], [{ name: 'partners', apis: ['orders'], subscriptionRequired: false, subscriptions: ['contoso'] }]);
    }),
    target: { kind: 'node', id: 'apim' },
    message: 'lists the subscriptions "contoso", which are not created',
  },
];
