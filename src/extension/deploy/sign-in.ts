/**
 * Signing in to Azure for deploying, as the setting `gatewright.deploy.signIn` says:
 * - `vscode` (default): VS Code's own Microsoft account sign-in (the Accounts menu), as the Azure extensions do;
 *   the `microsoft-sovereign-cloud` provider when the Resource Manager endpoint is not the public cloud's. Its
 *   sessions become an Azure SDK TokenCredential through src/deploy's tokenCredential(). When VS Code's sign-in
 *   is refused or unavailable, the Azure CLI's sign-in is offered instead.
 * - `azureCli`: @azure/identity's Azure CLI credential (`az login`), then its default chain.
 * - `default`: @azure/identity's default chain only.
 * The first token is asked for here, so that a sign-in problem is reported before anything else happens.
 */
import { DefaultAzureCredential } from '@azure/identity';
import * as vscode from 'vscode';
import { armEndpoint, DEFAULT_ARM_ENDPOINT } from '../../deploy/connection.js';
import { cliCredential, SignInError, tokenCredential, type TokenCredential } from '../../deploy/credential.js';
import { errorMessage } from '../../model/error-message.js';

export type SignInMethod = 'vscode' | 'azureCli' | 'default';

export interface SignedIn {
  readonly credential: TokenCredential;
  /** The Resource Manager endpoint, in canonical form. */
  readonly endpoint: string;
  /** Who and how, for the log and the confirmation: "ann@contoso.com (VS Code)". */
  readonly label: string;
  readonly method: SignInMethod;
}

/** Settings of the deploy commands, read each time (they may change between deployments). */
export function deploySettings(): { method: SignInMethod; endpoint: string; tenant: string | undefined } {
  const config = vscode.workspace.getConfiguration('gatewright.deploy');
  const method = config.get<string>('signIn', 'vscode');
  const tenant = config.get<string>('tenant', '').trim();
  return {
    method: method === 'azureCli' || method === 'default' ? method : 'vscode',
    endpoint: armEndpoint(config.get<string>('resourceManagerEndpoint', DEFAULT_ARM_ENDPOINT)),
    tenant: tenant || undefined,
  };
}

/** Signs in; undefined when the user gave up (already told why). Throws with a readable message otherwise. */
export async function signIn(log: vscode.LogOutputChannel): Promise<SignedIn | undefined> {
  let settings;
  try {
    settings = deploySettings();
  } catch (e) {
    const message = `Gatewright: the setting gatewright.deploy.resourceManagerEndpoint is refused: ${errorMessage(e)}.`;
    void vscode.window.showErrorMessage(message, 'Open Settings').then((a) => a && vscode.commands.executeCommand('workbench.action.openSettings', 'gatewright.deploy.resourceManagerEndpoint'));
    return undefined;
  }
  const { endpoint, tenant } = settings;
  const scope = `${endpoint}/.default`;
  if (settings.method === 'vscode') {
    const viaVsCode = await vscodeSignIn(endpoint, tenant, scope, log);
    if (viaVsCode) return viaVsCode;
    const choice = await vscode.window.showWarningMessage(
      'Gatewright: signing in with VS Code\'s Microsoft account did not succeed. Use the Azure CLI\'s sign-in (az login) instead?',
      'Use Azure CLI',
      'Cancel',
    );
    if (choice !== 'Use Azure CLI') return undefined;
    return identitySignIn('azureCli', endpoint, tenant, scope, log);
  }
  return identitySignIn(settings.method, endpoint, tenant, scope, log);
}

async function vscodeSignIn(endpoint: string, tenant: string | undefined, scope: string, log: vscode.LogOutputChannel): Promise<SignedIn | undefined> {
  const provider = endpoint === DEFAULT_ARM_ENDPOINT ? 'microsoft' : 'microsoft-sovereign-cloud';
  const extra = tenant ? [`VSCODE_TENANT:${tenant}`] : [];
  let session: vscode.AuthenticationSession;
  try {
    session = await vscode.authentication.getSession(provider, [scope, ...extra], { createIfNone: true });
  } catch (e) {
    log.warn(`deploy: VS Code sign-in (${provider}) failed: ${errorMessage(e)}`);
    return undefined;
  }
  // Each SDK client asks for its own scopes (Resource Manager, Key Vault, the AKS server application); VS Code keeps
  // one session per set. A subscription of another tenant asks for that tenant (VSCODE_TENANT); a Continuous Access
  // Evaluation claims challenge asks for a new sign-in, which gives a token issued after the event that revoked the old
  // one (https://learn.microsoft.com/entra/identity/conditional-access/concept-continuous-access-evaluation).
  const credential = tokenCredential(async (scopes, _signal, request = {}) => {
    const tenantScopes = request.tenantId ? [`VSCODE_TENANT:${request.tenantId}`] : extra;
    try {
      const s = request.claims
        ? await vscode.authentication.getSession(provider, [...scopes, ...tenantScopes], { forceNewSession: { detail: 'Azure asks you to sign in again (Continuous Access Evaluation) before Gatewright goes on.' } })
        : await vscode.authentication.getSession(provider, [...scopes, ...tenantScopes], { createIfNone: true });
      return s.accessToken;
    } catch (e) {
      const reason = errorMessage(e);
      const remedy = request.tenantId
        ? `Sign in to tenant ${request.tenantId} with the Accounts menu (or set gatewright.deploy.tenant to ${request.tenantId}), then retry.`
        : request.claims
          ? 'Sign out of the Microsoft account in the Accounts menu and sign in again, then retry.'
          : 'Sign in with the Accounts menu, or set gatewright.deploy.signIn to azureCli and run az login.';
      throw new SignInError(`VS Code's Microsoft sign-in gave no token: ${reason}.`, remedy);
    }
  });
  log.info(`deploy: signed in as ${session.account.label} through VS Code (${provider})`);
  return { credential, endpoint, label: `${session.account.label} (VS Code)`, method: 'vscode' };
}

async function identitySignIn(method: 'azureCli' | 'default', endpoint: string, tenant: string | undefined, scope: string, log: vscode.LogOutputChannel): Promise<SignedIn> {
  const options = tenant ? { tenantId: tenant } : {};
  const credential = method === 'azureCli' ? cliCredential(options) : new DefaultAzureCredential(options);
  const name = method === 'azureCli' ? 'the Azure CLI (az login), then the default Azure Identity chain' : 'the default Azure Identity chain';
  try {
    const token = await credential.getToken(scope);
    if (!token?.token) throw new Error('no access token was given');
  } catch (e) {
    // A chained credential's message lists why each credential failed, one per line: keep them all.
    const reason = (errorMessage(e)).replace(/\s*\n\s*/g, ' ').trim();
    throw new Error(`signing in through ${name} failed: ${reason}${method === 'azureCli' ? '. Run "az login" in a terminal, or change the setting gatewright.deploy.signIn.' : ''}`);
  }
  log.info(`deploy: signed in through ${name}`);
  return { credential, endpoint, label: method === 'azureCli' ? 'Azure CLI sign-in' : 'Azure Identity default chain', method };
}
