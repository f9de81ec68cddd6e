import { pino, stdTimeFunctions, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './config.js';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** The fields the concise lines below already say, left out of what follows them. */
const SUMMARISED = 'pid,hostname,requestId,method,path,status,ms,deliveryId,dialect,invoiceId,code,url,delivered';

/** One line per request and per webhook attempt; other messages with their fields on the same line. */
function conciseMessage(log: Record<string, unknown>): string {
  if (log.msg === 'request') return `${log.method} ${log.path} → ${log.status} (${log.ms} ms)`;
  if (log.msg === 'webhook') return `webhook ${log.code ?? ''} → ${log.url}: ${log.status ?? 'no answer'}${log.delivered ? ', delivered' : ''} (${log.ms} ms)`;
  return String(log.msg);
}

function wrap(instance: pino.Logger): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: LogFields) => instance[level](fields ?? {}, msg);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Structured logging with pino: JSON lines (`{"level":"info","time":…,"msg":…}`) written to
 * `write`, or to stdout by default.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const destination: DestinationStream = write ? { write } : pino.destination({ fd: 1, sync: true });
  return wrap(
    pino(
      { level, base: undefined, timestamp: stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
      destination,
    ),
  );
}

/** Whether the console is for a person: LOG_FORMAT=pretty, or `auto` on a terminal. */
export function wantsPrettyLogs(format: LogFormat): boolean {
  return format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
}

/**
 * The server's console: for a person on a terminal, one short coloured line per request (pino-pretty);
 * JSON lines otherwise (LOG_FORMAT=json, or output that is not a terminal).
 */
export function createConsoleLogger(level: LogLevel, format: LogFormat): Logger {
  if (!wantsPrettyLogs(format)) return createLogger(level);
  const stream = pretty({
    colorize: process.stdout.isTTY === true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: SUMMARISED,
    messageFormat: (log) => conciseMessage(log),
    sync: true,
  });
  return wrap(pino({ level, base: undefined }, stream));
}
