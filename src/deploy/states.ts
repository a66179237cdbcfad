/**
 * The states Resource Manager and the resource providers return (provisioningState, a long-running operation's
 * status, a subscription's state), compared without regard to case: the REST reference spells them in Pascal case
 * ("Succeeded"), while some providers answer in lower case ("succeeded", as the AKS run command's examples do:
 * https://learn.microsoft.com/rest/api/aks/managed-clusters/get-command-result). Every state that comes in is put
 * in one spelling here, so that the rest of src/deploy and its callers can compare with ===.
 */

/** The spellings Gatewright compares with; any other state is kept as Resource Manager sent it. */
const CANONICAL = [
  'Accepted',
  'Running',
  'Succeeded',
  'Failed',
  'Canceled',
  'Canceling',
  'Creating',
  'Updating',
  'Deleting',
  'Deleted',
  'Ready',
  'NotSpecified',
  'Enabled',
  'Disabled',
  'Warned',
  'PastDue',
] as const;

const BY_LOWER = new Map<string, string>(CANONICAL.map((s) => [s.toLowerCase(), s]));
// The LRO status of the SDK's pollers and British spelling some services use.
BY_LOWER.set('cancelled', 'Canceled');
BY_LOWER.set('notstarted', 'Accepted');
BY_LOWER.set('inprogress', 'Running');

/** The state in Gatewright's spelling (Succeeded, Failed, Canceled...); `fallback` when absent or empty. */
export function armState(value: string | null | undefined, fallback = 'Unknown'): string {
  const text = (value ?? '').trim();
  if (!text) return fallback;
  return BY_LOWER.get(text.toLowerCase()) ?? text;
}

/** Whether a state Resource Manager returned is `expected`, whatever its case. */
export function isState(value: string | null | undefined, expected: string): boolean {
  return armState(value, '') === armState(expected, '');
}
