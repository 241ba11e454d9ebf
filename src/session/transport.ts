/**
 * The socket the session talks through. The browser implementation wraps `WebSocket`; tests inject
 * a fake that follows the same contract.
 */
import type { ConnectionRequest, WireMessage } from '../protocol/adapter';

/** Socket events. */
export interface TransportHandlers {
  open(): void;
  message(data: WireMessage): void;
  /** The socket closed (after open, or instead of opening). `opened` tells which. */
  close(code: number, reason: string, opened: boolean): void;
}

/** An open or opening socket. */
export interface Transport {
  send(data: WireMessage): void;
  close(code?: number, reason?: string): void;
}

/**
 * Opens a socket.
 * @throws Error (e.g. `SyntaxError`) when the URL or subprotocols are invalid.
 */
export type Connect = (request: ConnectionRequest, handlers: TransportHandlers) => Transport;

/** Browser WebSocket transport. Binary messages arrive as `ArrayBuffer`. */
export const connectWebSocket: Connect = (request, handlers) => {
  const socket = new WebSocket(request.url, request.protocols.length ? [...request.protocols] : undefined);
  socket.binaryType = 'arraybuffer';
  let opened = false;
  socket.onopen = () => {
    opened = true;
    handlers.open();
  };
  socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => handlers.message(event.data);
  socket.onclose = (event) => handlers.close(event.code, event.reason, opened);
  return {
    send: (data) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(data);
    },
    close: (code = 1000, reason = '') => {
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(code, reason);
    },
  };
};
