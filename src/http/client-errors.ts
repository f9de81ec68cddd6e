import type { Socket } from 'node:net';
import { EngineError, type ErrorKind } from '../errors.js';
import type { ErrorShapes } from './errors.js';

interface ClientError extends Error {
  code?: string;
  rawPacket?: Buffer;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** What Node's HTTP parser refused, as a kind and a sentence for the developer. */
function describe(error: ClientError): { kind: ErrorKind; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { kind: 'headers-too-large', message: 'Request headers are larger than the 16 KB limit' };
    case 'HPE_INVALID_METHOD':
      return { kind: 'method-not-allowed', message: 'Unknown HTTP method' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { kind: 'timeout', message: 'The request was not received in time' };
    default:
      return { kind: 'invalid', message: `Malformed HTTP request${error.code ? ` (${error.code})` : ''}` };
  }
}

/**
 * Requests that never reach the app, because Node's HTTP parser refused them (headers over
 * the limit, an unknown method, broken framing), get a JSON error too instead of Node's bare
 * status line, in the shape of the dialect the request line's path belongs to.
 */
export function clientErrorAnswer(shapes: ErrorShapes) {
  return function answerClientError(error: ClientError, socket: Socket): void {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [, method = '', path = '/'] = /^([A-Z-]*) (\/\S*)/.exec(error.rawPacket?.subarray(0, 2048).toString('latin1') ?? '') ?? [];
    const { kind, message } = describe(error);
    const shape = shapes(path);
    const engineError = new EngineError(kind, message, { subject: 'request' });
    const status = shape.errorStatus(engineError);
    const body = JSON.stringify(shape.errorBody(method, engineError));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
}
