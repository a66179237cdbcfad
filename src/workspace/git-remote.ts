/**
 * The repository a workspace folder is a clone of, from its git configuration (the `origin` remote, else the first
 * one), as the delivery section names it: GitHub `owner/name`, Azure Repos `organization/project/repository`.
 * Remote URL forms: https://git-scm.com/docs/git-clone#_git_urls;
 * Azure Repos: https://learn.microsoft.com/azure/devops/repos/git/clone (https and SSH forms).
 */
import { join } from 'node:path';
import type { DeliveryProvider } from '../schemas/delivery.js';
import { readRegularFile } from './fs.js';

export interface GitRemote {
  readonly provider: DeliveryProvider;
  readonly repository: string;
}

/** The remote URLs of a git config file's text, `origin` first. */
export function remoteUrls(config: string): string[] {
  const urls: { name: string; url: string }[] = [];
  let remote: string | undefined;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*remote\s+"([^"]*)"\s*\]$/.exec(line);
    if (section) {
      remote = section[1];
      continue;
    }
    if (line.startsWith('[')) {
      remote = undefined;
      continue;
    }
    const url = /^url\s*=\s*(.+)$/.exec(line);
    if (remote !== undefined && url) urls.push({ name: remote, url: url[1]!.trim().replace(/^"(.*)"$/, '$1') });
  }
  return [...urls.filter((u) => u.name === 'origin'), ...urls.filter((u) => u.name !== 'origin')].map((u) => u.url);
}

/** The provider and repository a remote URL points at; undefined for any other host. */
export function parseRemoteUrl(url: string): GitRemote | undefined {
  const strip = (s: string) => decodeURIComponent(s.replace(/\.git$/, '').replace(/\/$/, ''));
  const github = /^(?:https:\/\/(?:[^@/]+@)?github\.com\/|ssh:\/\/git@github\.com\/|git@github\.com:)([^/]+)\/([^/]+?)\/?$/.exec(url);
  if (github) return { provider: 'github', repository: `${github[1]}/${strip(github[2]!)}` };
  const devops = /^https:\/\/(?:[^@/]+@)?dev\.azure\.com\/([^/]+)\/([^/]+)\/_git\/([^/?#]+)/.exec(url);
  if (devops) return { provider: 'azurePipelines', repository: `${devops[1]}/${strip(devops[2]!)}/${strip(devops[3]!)}` };
  const vsts = /^https:\/\/(?:[^@/]+@)?([^./]+)\.visualstudio\.com\/(?:DefaultCollection\/)?([^/]+)\/_git\/([^/?#]+)/.exec(url);
  if (vsts) return { provider: 'azurePipelines', repository: `${vsts[1]}/${strip(vsts[2]!)}/${strip(vsts[3]!)}` };
  const ssh = /^(?:ssh:\/\/)?git@ssh\.dev\.azure\.com(?::|\/)v3\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url) ?? /^[^@]+@vs-ssh\.visualstudio\.com:v3\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url);
  if (ssh) return { provider: 'azurePipelines', repository: `${ssh[1]}/${strip(ssh[2]!)}/${strip(ssh[3]!)}` };
  return undefined;
}

/** The first remote of the workspace folder's repository that is on GitHub or Azure Repos; undefined otherwise. */
export async function readGitRemote(root: string): Promise<GitRemote | undefined> {
  const read = await readRegularFile(join(root, '.git', 'config'), { maxBytes: 1024 * 1024 });
  if (!read.ok) return undefined;
  for (const url of remoteUrls(read.bytes.toString('utf8'))) {
    const remote = parseRemoteUrl(url);
    if (remote) return remote;
  }
  return undefined;
}
