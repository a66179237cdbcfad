/**
 * How every `gatewright` command reads its arguments and says it was called wrongly: node:util's parseArgs in strict
 * mode (plus -h/--help), its complaint turned into a usage error, the checks of positionals and option values the
 * commands share, and the exit statuses (docs/design-format.md, "Command line"). runCli (run.ts) prints a
 * UsageError as "gatewright: MESSAGE", a blank line and the command's usage, and exits with EXIT_USAGE.
 */
import { parseArgs } from 'node:util';
import type { Command } from './usage.js';
import { errorFirstLine } from '../model/error-message.js';

export const EXIT_OK = 0;
/** validate found an error, generate wrote nothing because of one, a handshake or a deployment failed. */
export const EXIT_FAILED = 1;
/** A usage error, an unreadable file, or a file a command would not overwrite. */
export const EXIT_USAGE = 2;

/** A mistake in how the program was called: message, the command's usage (the main usage without one), exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
  }
}

/** The usage error `gatewright: COMMAND: MESSAGE` followed by the command's usage. */
export function usageError(command: Command, message: string): UsageError {
  return new UsageError(`${command}: ${message}`, command);
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parses a command's arguments (after the command's name) strictly, with -h/--help added; throws a UsageError. */
export function parseCommandArgs<O extends OptionSpec>(command: Command, args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs explains unknown options, missing values and the like in its first sentence.
    const message = oneLine(e).replace(/\. To specify a positional argument.*$/, '');
    throw usageError(command, `${message.charAt(0).toLowerCase()}${message.slice(1)}`);
  }
}

/** The one positional argument a command takes (`what` names it in the messages: FILE). */
export function onePositional(command: Command, positionals: readonly string[], what: string): string {
  if (positionals.length === 0) throw usageError(command, `${what} is missing`);
  if (positionals.length > 1) throw usageError(command, `unexpected argument "${positionals[1]}"`);
  const value = positionals[0]!;
  if (value === '') throw usageError(command, `${what} is empty`);
  return value;
}

export function noPositional(command: Command, positionals: readonly string[]): void {
  if (positionals.length > 0) throw usageError(command, `unexpected argument "${positionals[0]}"`);
}

/** An option's value among the allowed ones, `fallback` when the option is not given. */
export function oneOf<T extends string>(command: Command, option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(command, `--${option} must be one of ${allowed.join(', ')}, not "${value}"`);
}

/** Refuses an option given as an empty string (`--root=`): a folder or file option needs a name. */
export function notEmpty(command: Command, values: Readonly<Record<string, unknown>>, options: readonly string[]): void {
  for (const option of options) if (values[option] === '') throw usageError(command, `--${option} is empty`);
}

/** The first line of an error's message, for one-line reports. */
export function oneLine(e: unknown): string {
  return errorFirstLine(e).trim() || 'unknown error';
}
