/** A `ws` client for tests that queues what the server sends. */
import WebSocket from 'ws';

export interface ReceivedMessage {
  type: string;
  [key: string]: unknown;
}

/** A connected test client. */
export class TestClient {
  /** JSON messages (an object without `type` gets type `<untyped>`); binary ones as `<binary>`. */
  readonly messages: ReceivedMessage[] = [];
  /** Every text frame as received. */
  readonly texts: string[] = [];
  closeCode: number | null = null;
  closeReason = '';
  private waiters: (() => void)[] = [];
  readonly opened: Promise<void>;

  constructor(readonly ws: WebSocket) {
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.messages.push({ type: '<binary>' });
      else {
        const text = (Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
        this.texts.push(text);
        try {
          const parsed = JSON.parse(text) as ReceivedMessage;
          this.messages.push(typeof parsed.type === 'string' ? parsed : { ...parsed, type: '<untyped>' });
        } catch {
          this.messages.push({ type: '<text>', text });
        }
      }
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

  /** Tries to connect and returns the HTTP status and JSON body of a refused upgrade (101 if accepted). */
  static async upgradeStatus(
    url: string,
    options: { headers?: Record<string, string>; protocols?: string[] } = {},
  ): Promise<{ status: number; body: unknown }> {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.close();
        resolve({ status: 101, body: null });
      });
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body ? (JSON.parse(body) as unknown) : null }));
      });
      ws.once('error', reject);
    });
  }

  /** Waits until `check` holds for the messages received so far. */
  waitFor(check: (messages: ReceivedMessage[]) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return this.until(() => (check(this.messages) ? true : undefined), what, timeoutMs).then(() => undefined);
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  private until<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`Timed out waiting for ${what}; got ${JSON.stringify(this.messages.map((m) => m.type))}, close ${this.closeCode}`),
          ),
        timeoutMs,
      );
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
