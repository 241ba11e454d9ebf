/**
 * The socket the session talks through. The browser implementation wraps `WebSocket`; tests inject
 * a fake, or a `ws` client, that follows the same contract.
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
  /**
   * Sends a message if the socket is open.
   * @returns false when it is not open: nothing was sent, and the caller keeps the data
   */
  send(data: WireMessage): boolean;
  /** Closes the socket: 1000 for a normal end, 4000–4999 for Dictate's own reasons. */
  close(code: number, reason: string): void;
  /** Bytes queued by `send` and not yet handed to the network. */
  readonly bufferedAmount: number;
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
    send(data) {
      if (socket.readyState !== WebSocket.OPEN) return false;
      socket.send(data);
      return true;
    },
    close(code, reason) {
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(code, reason);
    },
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
  };
};
