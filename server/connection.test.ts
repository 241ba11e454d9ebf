/** The connection lifecycle itself (server/connection.ts), on a real socket: recognizers opened are recognizers closed. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { serveConnection, type AudioStream, type Connection, type Dialect, type ServerContext } from './connection';
import type { Recognizer, SpeechEngine } from './engine/engine';

/** An engine whose recognizers hear nothing and are counted as they open and close. */
function countingEngine() {
  const counts = { opened: 0, closed: 0 };
  const engine: SpeechEngine = {
    health: () => ({ ready: true, name: 'counting' }),
    open(): Promise<Recognizer> {
      counts.opened++;
      return Promise.resolve({
        write: () => undefined,
        finish: () => Promise.resolve(),
        close: () => {
          counts.closed++;
          return Promise.resolve();
        },
      });
    },
  };
  return { engine, counts };
}

const results = { speechStarted: () => undefined, speechStopped: () => undefined, partial: () => undefined, final: () => undefined };

let server: WebSocketServer | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

/** Serves one connection with `dialect` and returns a connected client and the server's connection. */
async function serve(ctx: ServerContext, dialect: Dialect): Promise<{ client: WebSocket; conn: Connection; closed: Promise<unknown> }> {
  server = new WebSocketServer({ port: 0 });
  const accepted = new Promise<Connection>((resolve) => {
    server!.on('connection', (ws) => resolve(serveConnection(ws, ctx, 'test_1', dialect)));
  });
  await once(server, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  client.on('error', () => undefined);
  await once(client, 'open');
  const conn = await accepted;
  return { client, conn, closed: once(client, 'close') };
}

describe('serveConnection', () => {
  it('closes the first recognizer when a dialect starts audio a second time', async () => {
    const { engine, counts } = countingEngine();
    const dialect: Dialect = {
      text(conn) {
        conn.startAudio(results).write(new Int16Array(320));
      },
      binary: () => undefined,
    };
    const { client, closed } = await serve({ engine, log: () => undefined }, dialect);
    client.send('start');
    client.send('start again');
    await expect.poll(() => counts.opened).toBe(2);
    await expect.poll(() => counts.closed).toBe(1); // the first, replaced
    client.close(1000);
    await closed;
    await expect.poll(() => counts.closed).toBe(2);
  });

  it('opens no recognizer for a lazy stream until audio arrives, however its properties are read', async () => {
    const { engine, counts } = countingEngine();
    let stream: AudioStream | null = null;
    const dialect: Dialect = {
      text(conn, text) {
        if (text === 'start') {
          stream = conn.startAudio(results, { lazy: true });
          // Inspecting the stream (a log line, a debugger, a spread) must not open a decoder.
          void JSON.stringify({ ...stream });
          conn.send('started');
        } else stream?.write(new Int16Array(320));
      },
      binary: () => undefined,
    };
    const { client, closed } = await serve({ engine, log: () => undefined }, dialect);
    const started = once(client, 'message');
    client.send('start');
    await started; // engine.open is called at once when a stream opens: a count of 0 now means none was asked for
    expect(counts.opened).toBe(0);
    client.send('audio');
    await expect.poll(() => counts.opened).toBe(1);
    client.close(1000);
    await closed;
    await expect.poll(() => counts.closed).toBe(1);
  });
});
