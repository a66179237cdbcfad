/**
 * A stand-in for Microsoft Entra ID's token endpoint, for tests that sign in through the real WorkloadIdentityCredential
 * (@azure/identity and MSAL, unchanged): an HTTPS server on 127.0.0.1 with a certificate for login.microsoftonline.com
 * from a CA made at test time, reached through an HTTP CONNECT proxy (./connect-proxy.ts) that the process under test
 * is given as HTTPS_PROXY (with NO_PROXY for 127.0.0.1, so that the test Resource Manager is reached directly). It
 * answers what MSAL asks for a client-credentials grant with a client assertion
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#third-case-access-token-request-with-a-federated-credential):
 * the tenant's OpenID configuration, and POST /<tenant>/oauth2/v2.0/token, which issues `token` only for the expected
 * client id, tenant and federated token (the assertion), and records each token request.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { privateKeyPem, rootCa, serverCertificate } from './pki.js';
import { startConnectProxy, type ConnectProxy } from './connect-proxy.js';

export interface TokenRequestSeen {
  readonly tenant: string;
  readonly clientId: string;
  readonly grantType: string;
  readonly clientAssertionType: string;
  readonly clientAssertion: string;
  readonly scope: string;
}

export interface StandInEntra {
  /** The CA of the server's certificate: trust it in the process under test (NODE_EXTRA_CA_CERTS). */
  readonly caPem: string;
  /** The proxy to give as HTTPS_PROXY. */
  readonly proxy: ConnectProxy;
  readonly requests: readonly TokenRequestSeen[];
  close(): Promise<void>;
}

export async function standInEntra(expected: { tenant: string; clientId: string; assertion: string; token: string }): Promise<StandInEntra> {
  const now = Date.now();
  const validity = { notBefore: new Date(now - 3600_000), notAfter: new Date(now + 24 * 3600_000) };
  const ca = await rootCa('Gatewright test Entra ID CA', validity);
  const cert = await serverCertificate(ca, ['login.microsoftonline.com'], { ...validity, usages: ['serverAuth'] });
  const requests: TokenRequestSeen[] = [];
  const host = 'https://login.microsoftonline.com';
  const server: Server = createServer({ key: privateKeyPem(cert.key), cert: cert.pem }, (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', host);
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const config = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
      if (req.method === 'GET' && config) {
        const tenant = config[1]!;
        return send(200, {
          token_endpoint: `${host}/${tenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${host}/${tenant}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${host}/${tenant}/oauth2/v2.0/logout`,
          issuer: `${host}/${tenant}/v2.0`,
          jwks_uri: `${host}/${tenant}/discovery/v2.0/keys`,
        });
      }
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (req.method === 'POST' && token) {
        const form = new URLSearchParams(body);
        const seen: TokenRequestSeen = {
          tenant: token[1]!,
          clientId: form.get('client_id') ?? '',
          grantType: form.get('grant_type') ?? '',
          clientAssertionType: form.get('client_assertion_type') ?? '',
          clientAssertion: form.get('client_assertion') ?? '',
          scope: form.get('scope') ?? '',
        };
        requests.push(seen);
        if (seen.tenant !== expected.tenant || seen.clientId !== expected.clientId || seen.clientAssertion !== expected.assertion || seen.grantType !== 'client_credentials') {
          return send(401, { error: 'invalid_client', error_description: 'AADSTS700213: No matching federated identity record found for presented assertion.' });
        }
        return send(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: expected.token });
      }
      send(404, { error: 'not_found', error_description: `${req.method} ${url.pathname}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = await startConnectProxy({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
  return {
    caPem: ca.pem,
    proxy,
    requests,
    async close() {
      await proxy.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
