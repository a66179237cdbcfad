/**
 * A stand-in for the Azure CLI, for tests that sign in through the real AzureCliCredential (@azure/identity) rather
 * than a test credential: a shell script named `az` in its own bin folder, to be put first on the PATH of the process
 * under test. It answers only what AzureCliCredential asks, `az account get-access-token`, with the JSON the real
 * CLI prints (the given token, valid for an hour), refuses anything else, and appends every call's arguments to a
 * log so that a test can check how it was called.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StandInAz {
  /** The folder holding the `az` script: put it first on PATH. */
  readonly bin: string;
  /** The file the script appends its arguments to, one line a call; absent until the first call. */
  readonly log: string;
}

/** Writes DIR/bin/az answering with `token` for `subscription` in `tenant`, logging to DIR/az.log. */
export function standInAz(dir: string, account: { token: string; subscription: string; tenant: string }): StandInAz {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'az.log');
  const expiresOn = Math.floor(Date.now() / 1000) + 3600;
  const token = JSON.stringify({
    accessToken: account.token,
    expiresOn: new Date(expiresOn * 1000).toISOString().replace('T', ' ').slice(0, 19),
    expires_on: expiresOn,
    subscription: account.subscription,
    tenant: account.tenant,
    tokenType: 'Bearer',
  });
  writeFileSync(
    join(bin, 'az'),
    `#!/bin/sh\necho "$*" >> '${log}'\nif [ "$1" = account ] && [ "$2" = get-access-token ]; then\n  printf '%s\\n' '${token}'\n  exit 0\nfi\necho "ERROR: the stand-in az only answers account get-access-token" >&2\nexit 2\n`,
  );
  chmodSync(join(bin, 'az'), 0o755);
  return { bin, log };
}
