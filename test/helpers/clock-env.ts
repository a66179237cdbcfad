/**
 * The environment variables that set a process's clock, for child processes a test starts with an environment of
 * its own: with them the child runs on the same clock as the test (CI runs the suite once more with the clock moved
 * forward by Debian's `faketime`, which works through LD_PRELOAD and FAKETIME*). Without a moved clock this is empty.
 */
export function clockEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (name === 'LD_PRELOAD' || name.startsWith('FAKETIME') || name === 'DONT_FAKE_MONOTONIC')) out[name] = value;
  }
  return out;
}
