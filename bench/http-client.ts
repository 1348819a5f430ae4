import http from 'node:http';

/** A minimal keep-alive HTTP client: less client-side overhead than fetch, so timings are the server's. */
export interface HttpResult {
  status: number;
  body: string;
  ms: number;
}

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  label: string;
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets = 128) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /**
   * One request; a keep-alive socket the server closed while it sat idle (its keepAliveTimeout)
   * fails with ECONNRESET before any answer: that attempt is repeated once, on a fresh socket.
   */
  async request(method: string, path: string, options: { cookie?: string; body?: unknown } = {}): Promise<HttpResult> {
    try {
      return await this.attempt(method, path, options);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ECONNRESET') {
        return this.attempt(method, path, options);
      }
      throw error;
    }
  }

  private attempt(method: string, path: string, options: { cookie?: string; body?: unknown }): Promise<HttpResult> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.cookie) {
      headers.cookie = options.cookie;
    }
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const start = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - start });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload !== undefined) {
        req.write(payload);
      }
      req.end();
    });
  }

  get(path: string, session?: SignedIn): Promise<HttpResult> {
    return this.request('GET', path, session ? { cookie: session.cookie } : {});
  }

  /** Signs in through the real login endpoint (argon2 and all). */
  async signIn(email: string, password: string, label: string): Promise<SignedIn> {
    const res = await new Promise<{ status: number; body: string; cookies: string[] }>((resolve, reject) => {
      const payload = JSON.stringify({ email, password });
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method: 'POST',
          path: '/api/v1/auth/login',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), cookies: r.headers['set-cookie'] ?? [] }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    if (res.status !== 200) {
      throw new Error(`sign-in as ${email} failed: ${res.status} ${res.body}`);
    }
    const session = res.cookies.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('haoke_session='));
    if (!session) {
      throw new Error('sign-in answered without a session cookie');
    }
    const body = JSON.parse(res.body) as { csrfToken: string };
    return { cookie: session, csrfToken: body.csrfToken, label };
  }

  close(): void {
    this.agent.destroy();
  }
}
