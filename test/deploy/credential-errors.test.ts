/**
 * A credential's failure as the user reads it: every reason the credentials give, then, last, the command or setting
 * that fixes it; the tenant Resource Manager names in a 401's WWW-Authenticate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AggregateAuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { SignInError } from '../../src/deploy/credential.js';
import { challengeTenant, toDeployError } from '../../src/deploy/errors.js';

test('a chain of credentials that all failed keeps each reason and ends with the Azure CLI\'s own advice', () => {
  const chain = new AggregateAuthenticationError(
    [
      new CredentialUnavailableError("Please run 'az login' from a command prompt to authenticate before using this credential."),
      new CredentialUnavailableError('EnvironmentCredential is unavailable. No underlying credential could be used.'),
    ],
    'ChainedTokenCredential authentication failed.',
  );
  const error = toDeployError(chain, 'Reading subscription 00000000-1111-2222-3333-444444444444');
  assert.equal(error.kind, 'unauthorized');
  assert.equal(
    error.message,
    "Reading subscription 00000000-1111-2222-3333-444444444444: could not get an access token: Please run 'az login' from a command prompt to authenticate before using this credential. EnvironmentCredential is unavailable. No underlying credential could be used. Run: az login",
  );
});

test('a claims challenge ends with the exact az login --claims-challenge command', () => {
  const command = 'az login --claims-challenge eyJhY2Nlc3NfdG9rZW4iOnt9fQ== --scope https://management.azure.com/.default';
  const chain = new AggregateAuthenticationError([new CredentialUnavailableError(`Failed to get token. Run ${command}`)], 'ChainedTokenCredential authentication failed.');
  const error = toDeployError(chain, 'Reading subscription x');
  assert.ok(error.message.endsWith(`Run: ${command}`), error.message);
});

test('the extension\'s sign-in errors end with their remedy; anything else with how to sign in', () => {
  const vscode = toDeployError(new SignInError("VS Code's Microsoft sign-in gave no token: User did not consent.", 'Sign in with the Accounts menu, or set gatewright.deploy.signIn to azureCli and run az login.'), 'Listing subscriptions');
  assert.equal(vscode.message, "Listing subscriptions: could not get an access token: VS Code's Microsoft sign-in gave no token: User did not consent. Sign in with the Accounts menu, or set gatewright.deploy.signIn to azureCli and run az login.");
  const other = toDeployError(Object.assign(new Error('AADSTS700016: Application not found in the directory.'), { name: 'AuthenticationError' }), 'Reading subscription x');
  assert.match(other.message, /AADSTS700016: Application not found in the directory\. Run: az login \(or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal\)$/);
});

test('the tenant of a 401 challenge is read from authorization_uri; common and malformed ones are not a tenant', () => {
  assert.equal(challengeTenant('Bearer authorization_uri="https://login.windows.net/c5e1a0f4-2b7d-4e8a-9f31-6d0b2a4c7e19", error="invalid_token"'), 'c5e1a0f4-2b7d-4e8a-9f31-6d0b2a4c7e19');
  assert.equal(challengeTenant('Bearer authorization_uri="https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/authorize"'), 'contoso.onmicrosoft.com');
  assert.equal(challengeTenant('Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims"'), undefined);
  assert.equal(challengeTenant('Bearer error="invalid_token"'), undefined);
  assert.equal(challengeTenant(undefined), undefined);
});
