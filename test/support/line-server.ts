/**
 * A TCP server on a free 127.0.0.1 port (or `host`'s: 127.0.0.2 stands for another host) that greets each client and answers it line by line, for
 * scripting what a provider's IMAP or SMTP server says where a real one cannot be made to say it
 * (Gmail's, Exchange Online's, an old Sendmail's). `answer` gets each line the client sends, CRLF
 * removed, and writes to the socket what the server says.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface LineServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startLineServer(greeting: string, answer: (line: string, socket: Socket) => void, host = '127.0.0.1'): Promise<LineServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(`${greeting}\r\n`);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        answer(line, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
