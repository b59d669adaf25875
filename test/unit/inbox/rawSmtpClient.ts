// A raw SMTP client for the capture inbox's tests: it says exactly what a test writes (a null sender, no
// SIZE parameter, a message over the limit, a reset in the middle) and returns each whole reply, so a test
// can hold the inbox to what it answers on the wire rather than to what a well-behaved client makes of it.
import { connect, type Socket } from 'node:net';

export class RawSmtpClient {
  private buffer = '';
  private readonly replies: string[] = [];
  private waiting: ((reply: string) => void) | undefined;
  private closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      // A reply ends with a line "NNN text" (a space, not a hyphen, after the code: RFC 5321 section 4.2.1).
      for (let end = /^\d{3}(?: [^\r\n]*)?\r\n/m.exec(this.buffer); end; end = /^\d{3}(?: [^\r\n]*)?\r\n/m.exec(this.buffer)) {
        const cut = end.index + end[0].length;
        this.replies.push(this.buffer.slice(0, cut).replace(/\r\n$/, ''));
        this.buffer = this.buffer.slice(cut);
      }
      this.deliver();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.deliver();
    });
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawSmtpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once('connect', () => resolve(new RawSmtpClient(socket)));
      socket.once('error', reject);
    });
  }

  /** The next whole reply (lines joined by CRLF); "closed" when the server closed first. */
  reply(): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.deliver();
    });
  }

  /** Writes one command line and returns its reply. */
  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** Writes bytes as they are (a message body, its final dot). */
  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }

  private deliver(): void {
    if (!this.waiting) return;
    const next = this.replies.shift() ?? (this.closed ? 'closed' : undefined);
    if (next === undefined) return;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve(next);
  }
}
