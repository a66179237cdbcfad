/**
 * A stand-in for the Azure CLI, for tests that sign in through the real AzureCliCredential (@azure/identity) rather
 * than a test credential: a shell script named `az` in its own bin folder, to be put first on the PATH of the process
 * under test. It answers only what AzureCliCredential asks, `az account get-access-token`, with the JSON the real
 * CLI prints (the given token, valid for an hour), refuses anything else, and appends every call's arguments to a
 * log so that a test can check how it was called. A token for another resource (`--resource`, such as the AKS server
 * application) or another tenant (`--tenant`) is the one the test gives for it; a tenant the test gives none for is
 * refused as the CLI refuses it. With `signedOut`, it answers as the CLI does before `az login`.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StandInAz {
  /** The folder holding the `az` script: put it first on PATH. */
  readonly bin: string;
  /** The file the script appends its arguments to, one line a call; absent until the first call. */
  readonly log: string;
}

export interface StandInAccount {
  readonly token: string;
  readonly subscription: string;
  readonly tenant: string;
  /** Tokens for other resources: `--resource <key>` gets the value. */
  readonly resources?: Readonly<Record<string, string>>;
  /** Tokens for other tenants: `--tenant <key>` gets the value. */
  readonly tenants?: Readonly<Record<string, string>>;
  /** Answer every call as the Azure CLI does when no one is signed in. */
  readonly signedOut?: boolean;
}

/** Writes DIR/<folder>/az answering for `account`, logging to DIR/<folder>.log. */
export function standInAz(dir: string, account: StandInAccount, folder = 'bin'): StandInAz {
  const bin = join(dir, folder);
  mkdirSync(bin);
  const log = join(dir, `${folder === 'bin' ? 'az' : folder}.log`);
  const expiresOn = Math.floor(Date.now() / 1000) + 3600;
  const json = (token: string, tenant: string) =>
    JSON.stringify({
      accessToken: token,
      expiresOn: new Date(expiresOn * 1000).toISOString().replace('T', ' ').slice(0, 19),
      expires_on: expiresOn,
      subscription: account.subscription,
      tenant,
      tokenType: 'Bearer',
    });
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cases = [
    ...Object.entries(account.tenants ?? {}).map(([tenant, token]) => `    tenant:${tenant}) printf '%s\\n' ${quote(json(token, tenant))}; exit 0 ;;`),
    ...Object.entries(account.resources ?? {}).map(([resource, token]) => `    resource:${resource}) printf '%s\\n' ${quote(json(token, account.tenant))}; exit 0 ;;`),
  ];
  const script = [
    '#!/bin/sh',
    `echo "$*" >> ${quote(log)}`,
    'if [ "$1" != account ] || [ "$2" != get-access-token ]; then',
    '  echo "ERROR: the stand-in az only answers account get-access-token" >&2',
    '  exit 2',
    'fi',
    ...(account.signedOut ? ['echo "ERROR: Please run \'az login\' to setup account." >&2', 'exit 1'] : []),
    'resource=""; tenant=""',
    'while [ $# -gt 0 ]; do',
    '  case "$1" in',
    '    --resource) resource="$2"; shift ;;',
    '    --tenant) tenant="$2"; shift ;;',
    '  esac',
    '  shift',
    'done',
    'if [ -n "$tenant" ]; then key="tenant:$tenant"; else key="resource:$resource"; fi',
    'case "$key" in',
    ...cases,
    `    tenant:${account.tenant}|resource:*) printf '%s\\n' ${quote(json(account.token, account.tenant))}; exit 0 ;;`,
    'esac',
    // What the Azure CLI prints for a tenant the account is not a member of.
    `echo "ERROR: AADSTS50020: User account from identity provider does not exist in tenant '$tenant'. Run 'az login --tenant $tenant' to sign in to it." >&2`,
    'exit 1',
    '',
  ].join('\n');
  writeFileSync(join(bin, 'az'), script);
  chmodSync(join(bin, 'az'), 0o755);
  return { bin, log };
}
