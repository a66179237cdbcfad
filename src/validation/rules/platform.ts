/**
 * Whether the platform works for its callers once deployed (GW480-GW489): subscription keys can be had for every
 * API that requires one, nothing open is left unauthenticated, the tokens Entra ID issues are accepted, and the
 * checks the design asks for are made.
 */
import type { NodeOf } from '../../schemas/design.js';
import { defineRule, type Rule } from '../rule.js';
import type { RuleContext } from '../context.js';
import { fixWith, setOp } from './graph.js';

type Apim = NodeOf<'apiManagement'>;

const SUBSCRIPTIONS = {
  tool: 'Microsoft Learn',
  ref: 'Subscriptions in Azure API Management',
  url: 'https://learn.microsoft.com/azure/api-management/api-management-subscriptions',
} as const;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function validatesTokens(ctx: RuleContext, apim: Apim): boolean {
  return ctx.outgoing(apim.id, 'tokenValidation').some((e) => e.to?.type === 'entraId');
}

function target(apim: Apim) {
  return { kind: 'node', id: apim.id } as const;
}

export const PLATFORM_RULES: Rule[] = [
  defineRule({
    id: 'GW480',
    name: 'apim-product-unknown-api',
    category: 'architecture',
    severity: 'error',
    title: 'A product holds only APIs of its instance',
    rationale: 'A product names the APIs it holds by name; a name the API Management instance does not have links nothing, and callers of the API it was meant for get no key from the product.',
    source: SUBSCRIPTIONS,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const names = new Set(apim.properties.apis.map((a) => a.name));
        for (const [i, product] of apim.properties.products.entries()) {
          for (const [j, api] of product.apis.entries()) {
            if (names.has(api)) continue;
            yield ctx.atNode(
              apim,
              `product "${product.name}" of ${apim.id} holds the API "${api}", which ${apim.id} does not have; its APIs are ${[...names].map((n) => `"${n}"`).join(', ') || 'none'}`,
              ['properties', 'products', i, 'apis', j],
            );
          }
        }
      }
    },
  }),
  defineRule({
    id: 'GW481',
    name: 'apim-product-unique-names',
    category: 'architecture',
    severity: 'error',
    title: 'Product and subscription names are unique in an instance',
    rationale: 'Products and subscriptions are entities of the API Management instance, named by their ids: two with one name are one entity, and the second silently replaces the first.',
    source: SUBSCRIPTIONS,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const products = new Map<string, number>();
        const subscriptions = new Map<string, string>();
        for (const [i, product] of apim.properties.products.entries()) {
          const key = product.name.toLowerCase();
          const first = products.get(key);
          if (first !== undefined) {
            yield ctx.atNode(apim, `${apim.id} has two products named "${product.name}" (products ${first} and ${i}); give each its own name`, ['properties', 'products', i, 'name']);
          } else products.set(key, i);
          for (const [j, s] of product.subscriptions.entries()) {
            const owner = subscriptions.get(s.toLowerCase());
            if (owner !== undefined) {
              yield ctx.atNode(
                apim,
                `the subscription "${s}" of product "${product.name}" has the name of a subscription of product "${owner}" of ${apim.id}; subscription names are unique in the instance`,
                ['properties', 'products', i, 'subscriptions', j],
              );
            } else subscriptions.set(s.toLowerCase(), product.name);
          }
        }
      }
    },
  }),
  defineRule({
    id: 'GW482',
    name: 'apim-open-product-keyed-api',
    category: 'architecture',
    severity: 'warning',
    title: 'An open product holds no API that requires a subscription key',
    rationale:
      'An open product (subscriptionRequired: false) has no subscriptions, so it gives no key; an API that requires one still refuses every call without a key (401). Either the product requires subscriptions, or the API does not.',
    source: SUBSCRIPTIONS,
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        for (const [i, product] of apim.properties.products.entries()) {
          if (product.subscriptionRequired) continue;
          const keyed = product.apis.filter((name) => apim.properties.apis.some((a) => a.name === name && a.subscriptionRequired));
          if (keyed.length === 0) continue;
          yield ctx.atNode(
            apim,
            `product "${product.name}" of ${apim.id} is open (no subscription), but it holds ${keyed.map((n) => `"${n}"`).join(', ')}, which require${keyed.length === 1 ? 's' : ''} a subscription key: the product gives callers no key for ${keyed.length === 1 ? 'it' : 'them'}`,
            ['properties', 'products', i, 'subscriptionRequired'],
            fixWith(`Require subscriptions in product "${product.name}"`, setOp(target(apim), ['properties', 'products', i, 'subscriptionRequired'], true)),
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW483',
    name: 'apim-api-anonymous',
    category: 'architecture',
    severity: 'warning',
    title: 'An API requires a subscription key or a token',
    rationale:
      'An API with subscriptionRequired: false on an instance that validates no token can be called by anyone who reaches the gateway, with no credential at all. Require a subscription key, or validate Entra ID tokens (a tokenValidation edge).',
    source: SUBSCRIPTIONS,
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        if (validatesTokens(ctx, apim)) continue;
        for (const [i, api] of apim.properties.apis.entries()) {
          if (api.subscriptionRequired) continue;
          yield ctx.atNode(
            apim,
            `API "${api.name}" of ${apim.id} requires no subscription key and ${apim.id} validates no token: anyone who reaches the gateway can call it`,
            ['properties', 'apis', i, 'subscriptionRequired'],
            fixWith(`Require a subscription key for "${api.name}"`, setOp(target(apim), ['properties', 'apis', i, 'subscriptionRequired'], true)),
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW484',
    name: 'token-audience-both-versions',
    category: 'architecture',
    severity: 'info',
    title: 'Token validation accepts the audience of v2.0 tokens',
    rationale:
      "Entra ID puts the API's App ID URI in the aud claim of v1.0 access tokens and its application (client) id in v2.0 tokens; which one callers get depends on the API registration (accessTokenAcceptedVersion), not on them. With a custom App ID URI (api://name) and no applicationId, only v1.0 tokens (the default of a new registration) are accepted: a registration set to v2.0 gets every call refused (401).",
    source: { tool: 'Microsoft Learn', ref: 'Access tokens in the Microsoft identity platform (aud)', url: 'https://learn.microsoft.com/entra/identity-platform/access-tokens' },
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const entra = ctx.outgoing(apim.id, 'tokenValidation').find((e) => e.to?.type === 'entraId')?.to;
        if (entra?.type !== 'entraId') continue;
        for (const [i, api] of apim.properties.apis.entries()) {
          const own = api.audience !== undefined || api.applicationId !== undefined;
          const audience = own ? api.audience : entra.properties.audience;
          const applicationId = own ? api.applicationId : entra.properties.applicationId;
          if (!audience || applicationId || GUID.test(audience)) continue;
          const uri = /^api:\/\/([^/]+)$/.exec(audience);
          if (uri?.[1] && GUID.test(uri[1])) continue;
          yield own
            ? ctx.atNode(
                apim,
                `API "${api.name}" of ${apim.id} accepts tokens for ${audience} only: if its registration issues v2.0 tokens (audience: the application id) they are refused; set applicationId on the API (the application (client) id of its app registration)`,
                ['properties', 'apis', i, 'audience'],
              )
            : ctx.atNode(
                entra,
                `${apim.id} accepts tokens for ${audience} only (API "${api.name}"): if the API registration issues v2.0 tokens (audience: the application id) they are refused; set applicationId on ${entra.id} (the application (client) id of the API's app registration)`,
                ['properties', 'audience'],
              );
        }
      }
    },
  }),
  defineRule({
    id: 'GW485',
    name: 'token-claims-checked',
    category: 'architecture',
    severity: 'error',
    title: 'Required roles and scopes are checked by token validation',
    rationale:
      'requiredRoles and requiredScopes are checked in the token validation policy; on an instance with no tokenValidation edge to Entra ID there is no such policy, and every caller is let through whatever roles or scopes it has.',
    source: { tool: 'Microsoft Learn', ref: 'Validate Microsoft Entra token', url: 'https://learn.microsoft.com/azure/api-management/validate-azure-ad-token-policy' },
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        if (validatesTokens(ctx, apim)) continue;
        for (const [i, api] of apim.properties.apis.entries()) {
          if (api.requiredRoles.length === 0 && api.requiredScopes.length === 0) continue;
          const entra = ctx.nodesOfType('entraId');
          yield ctx.atNode(
            apim,
            `API "${api.name}" of ${apim.id} requires roles or scopes, but ${apim.id} validates no token, so nothing checks them; connect ${apim.id} to an entraId node with a tokenValidation edge`,
            ['properties', 'apis', i],
            entra.length === 1
              ? { fix: { title: `Validate tokens from ${entra[0]!.id}`, operations: [{ op: 'connect', edge: { from: apim.id, to: entra[0]!.id, type: 'tokenValidation' } }] } }
              : {},
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW486',
    name: 'apim-open-product-subscriptions',
    category: 'architecture',
    severity: 'warning',
    title: 'Only products that require subscriptions list subscriptions',
    rationale: 'An open product (subscriptionRequired: false) cannot have subscriptions: the ones it lists are not created, and no caller gets their keys.',
    source: SUBSCRIPTIONS,
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        for (const [i, product] of apim.properties.products.entries()) {
          if (product.subscriptionRequired || product.subscriptions.length === 0) continue;
          yield ctx.atNode(
            apim,
            `product "${product.name}" of ${apim.id} is open (no subscription) but lists the subscriptions ${product.subscriptions.map((s) => `"${s}"`).join(', ')}, which are not created`,
            ['properties', 'products', i, 'subscriptions'],
            fixWith(`Require subscriptions in product "${product.name}"`, setOp(target(apim), ['properties', 'products', i, 'subscriptionRequired'], true)),
          );
        }
      }
    },
  }),
];
