// A "tracker" for preview tests: a real HTTP server on 127.0.0.1 that records every TCP connection and
// every request made to it, and answers each with a 1x1 GIF that may not be cached (so that every load the
// browser makes shows up here, even a second one of the same URL).
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

export interface Tracker {
  /** http://127.0.0.1:PORT, no trailing slash. */
  origin: string;
  /** Paths (with query) of the requests seen so far, in order. */
  requests: string[];
  /** TCP connections accepted so far: a preconnect shows up here without any request. */
  connections: number;
  /** Forgets what was seen (not the open sockets). */
  reset(): void;
  /** Resolves once `condition` holds for the requests seen, or rejects after `timeoutMs` with what was seen. */
  waitFor(condition: (requests: string[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTracker(): Promise<Tracker> {
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const check of [...waiters]) check();
  };
  const server: Server = createServer((req, res) => {
    tracker.requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store', 'content-length': GIF.length });
    res.end(GIF);
    notify();
  });
  server.on('connection', (socket: Socket) => {
    tracker.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    notify();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const tracker: Tracker = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: [],
    connections: 0,
    reset() {
      tracker.requests = [];
      tracker.connections = 0;
    },
    waitFor(condition, what, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!condition(tracker.requests)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`the tracker did not see ${what} within ${timeoutMs} ms; it saw: ${JSON.stringify(tracker.requests)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return tracker;
}
