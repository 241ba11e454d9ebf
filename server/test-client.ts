/** A `ws` client for tests that queues what the server sends. */
import WebSocket from 'ws';

export interface ReceivedMessage {
  type: string;
  [key: string]: unknown;
}

/** A connected test client. */
export class TestClient {
  readonly messages: ReceivedMessage[] = [];
  closeCode: number | null = null;
  closeReason = '';
  private waiters: (() => void)[] = [];
  readonly opened: Promise<void>;

  constructor(
    readonly ws: WebSocket,
  ) {
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    ws.on('message', (data, isBinary) => {
      this.messages.push(isBinary ? { type: '<binary>' } : (JSON.parse(data.toString()) as ReceivedMessage));
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      this.wake();
    });
  }

  static async connect(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<TestClient> {
    const client = new TestClient(new WebSocket(url, options.protocols ?? [], { headers: options.headers }));
    await client.opened;
    return client;
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  private until<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}; got ${JSON.stringify(this.messages.map((m) => m.type))}, close ${this.closeCode}`)), timeoutMs);
      const test = () => {
        const value = check();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else this.waiters.push(test);
      };
      test();
    });
  }

  /** The first message of `type` (already received or coming). */
  next(type: string, timeoutMs = 10_000): Promise<ReceivedMessage> {
    return this.until(() => this.messages.find((m) => m.type === type), type, timeoutMs);
  }

  /** Waits for the `n`-th message overall (1-based). */
  nth(n: number, timeoutMs = 10_000): Promise<ReceivedMessage> {
    return this.until(() => this.messages[n - 1], `message #${n}`, timeoutMs);
  }

  closed(timeoutMs = 10_000): Promise<number> {
    return this.until(() => this.closeCode ?? undefined, 'close', timeoutMs);
  }

  send(message: unknown) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }
}
