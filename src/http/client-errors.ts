import type { Socket } from 'node:net';
import { AppError } from '../errors.js';
import { errorBody } from './errors.js';

interface ClientError extends Error {
  code?: string;
  rawPacket?: Buffer;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** What Node's HTTP parser refused, as a status and a sentence for the developer. */
function describe(error: ClientError): { status: number; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'Request headers are larger than the 16 KB limit' };
    case 'HPE_INVALID_METHOD':
      return { status: 405, message: 'Unknown HTTP method' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: 'The request was not received in time' };
    default:
      return { status: 400, message: `Malformed HTTP request${error.code ? ` (${error.code})` : ''}` };
  }
}

/**
 * Requests that never reach the app, because Node's HTTP parser refused them (headers over
 * the limit, an unknown method, broken framing), get a JSON error too instead of Node's bare
 * status line. The method, when the request line shows one, picks the code's first digits.
 */
export function answerClientError(error: ClientError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const method = /^([A-Z]+) /.exec(error.rawPacket?.subarray(0, 16).toString('latin1') ?? '')?.[1] ?? '';
  const { status, message } = describe(error);
  const body = JSON.stringify(errorBody(method, new AppError(message, { status, resource: 'unmapped', suffix: '02' })));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
