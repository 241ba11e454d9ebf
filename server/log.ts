/**
 * The server's log: one event per line. As JSON lines through `pino` (`{"level":30,"time":…,"msg":…}`)
 * where a machine reads it (stdout not a terminal, or `DICTATE_LOG=json`): a container, a service
 * manager, a log shipper. As `[dictate] …` text on a terminal (or `DICTATE_LOG=text`). What is logged
 * never holds a key, a token or the user's words: callers pass events, counts and codes only.
 */
import { pino, type DestinationStream } from 'pino';

/** How the log is written. */
export type LogFormat = 'json' | 'text';

export interface ServerLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** The format `DICTATE_LOG` asks for, else JSON unless stdout is a terminal. */
export function logFormat(env: string | undefined, isTTY: boolean | undefined): LogFormat {
  if (env === 'json' || env === 'text') return env;
  return isTTY ? 'text' : 'json';
}

/**
 * A log in `format`; with `quiet`, only warnings and errors.
 * @param destination - where JSON lines go (default stdout)
 */
export function createLog(format: LogFormat, quiet = false, destination?: DestinationStream): ServerLog {
  if (format === 'json') {
    const logger = pino({ base: { service: 'dictate' }, level: quiet ? 'warn' : 'info' }, destination ?? pino.destination(1));
    return {
      info: (line) => logger.info(line),
      warn: (line) => logger.warn(line),
      error: (line) => logger.error(line),
    };
  }
  return {
    info: (line) => {
      if (!quiet) console.log(`[dictate] ${line}`);
    },
    warn: (line) => console.warn(`[dictate] ${line}`),
    error: (line) => console.error(`[dictate] ${line}`),
  };
}
