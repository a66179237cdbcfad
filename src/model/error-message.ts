/** The message of anything thrown: an Error's message, else the value as text. One spelling for every layer. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
