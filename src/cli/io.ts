/** Where the program reads and writes: the process in main.ts, a capture in tests. Every command takes one. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colors). */
  readonly isTTY: boolean;
  out(text: string): void;
  err(text: string): void;
  /** The moment certificate expiry is judged against; now by default (tests pin it). */
  readonly now?: Date;
}
