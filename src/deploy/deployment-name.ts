/** Names of the deployments of a design: `<design>-<yyyyMMdd>-<HHmmss>` (UTC), so that its history can be told apart. */

/** The deployment name for a design deployed at `at`. Design names are at most 20 characters, so it fits ARM's 64. */
export function deploymentName(designName: string, at: Date): string {
  const iso = at.toISOString(); // 2026-11-28T09:41:07.123Z
  return `${designName}-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/** Whether a deployment name is one of the design's own (not a nested deployment such as `<design>-apim-custom-domain`). */
export function isDesignDeployment(designName: string, name: string): boolean {
  return name.startsWith(`${designName}-`) && /^\d{8}-\d{6}$/.test(name.slice(designName.length + 1));
}
