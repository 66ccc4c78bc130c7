import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/** What `--help` says of a command: how it is called, and what it does. */
export interface CommandHelp {
  /** e.g. `npm run risk:train -- [options]` */
  usage: string;
  /** One or two sentences. */
  about: string;
  /** What an option is for, by its name, printed before its default. */
  options?: Readonly<Record<string, string>>;
}

/**
 * Every command-line tool's arguments: `--help` (or `-h`) prints the usage, what the command does
 * and its options (with their defaults, read from `config`) and exits 0 before anything runs; an
 * option it does not know, or a missing or stray value, is one line on stderr with the usage, exit
 * 2, no stack trace. Otherwise what parseArgs answers for `config` (`args` defaults to the
 * process's arguments).
 */
export function parseCommandLine<T extends ParseArgsConfig>(
  help: CommandHelp,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${commandUsage(help, config)}\n`);
    process.exit(0);
  }
  try {
    // parseArgs reads process.argv itself when `args` is absent: the same arguments as checked above.
    return parseArgs(config);
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    process.stderr.write(`${error.message}\n\n${commandUsage(help, config)}\n`);
    process.exit(2);
  }
}

/** The text `--help` prints. */
export function commandUsage(help: CommandHelp, config: ParseArgsConfig): string {
  const options = Object.entries(config.options ?? {}).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ' <value>' : ''}`;
    const fallback =
      option.default === undefined || option.default === false ? '' : `default ${String(option.default)}`;
    return [flag, [help.options?.[name], fallback].filter(Boolean).join('; ')] as const;
  });
  options.push(['-h, --help', 'print this and exit']);
  const width = Math.max(...options.map(([flag]) => flag.length));
  return [
    `Usage: ${help.usage}`,
    '',
    help.about,
    '',
    'Options:',
    ...options.map(([flag, note]) => `  ${flag.padEnd(width)}  ${note}`.trimEnd()),
  ].join('\n');
}

/** The errors parseArgs throws for what it was given (not for a defect of the caller). */
function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
