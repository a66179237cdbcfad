/** The message of anything thrown: an Error's message, else the value as text. One spelling for every layer. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The first line of what was thrown, for one-line reports (a stack or a multi-line message keeps its headline). */
export function errorFirstLine(e: unknown): string {
  return errorMessage(e).split('\n')[0] ?? '';
}
