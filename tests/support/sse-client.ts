import { request as httpRequest, type ClientRequest } from 'node:http';

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/**
 * A small event-stream reader over node:http for tests: it records each
 * message and every comment line, so keep-alives can be checked too.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  status = 0;
  private request?: ClientRequest;
  private buffer = '';

  static open(port: number, path: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.request = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
        client.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.feed(chunk));
        resolve(client);
      });
      client.request.on('error', reject);
      client.request.end();
    });
  }

  /** Messages whose event name is not a stream-internal one. */
  named(event?: string): SseMessage[] {
    return this.messages.filter((m) => (event ? m.event === event : true));
  }

  close(): void {
    this.request?.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.parseBlock(block);
    }
  }

  private parseBlock(block: string): void {
    const message: SseMessage = { data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line);
      else if (line.startsWith('id:')) message.id = line.slice(3).trim();
      else if (line.startsWith('event:')) message.event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    message.data = data.join('\n');
    this.messages.push(message);
  }
}
