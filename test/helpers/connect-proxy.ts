/**
 * A tiny HTTP CONNECT proxy for end-to-end tests whose process under test must reach hosts this machine does not
 * resolve: the test Key Vault's data plane lives at https://<vault>.vault.localhost:<port>/ (test/helpers/arm-server),
 * and the Key Vault SDK insists on that name (its challenge check wants the vault's host under the token resource's
 * host, vault.localhost). Given as VS Code's `http.proxy`, it receives `CONNECT payments-kv.vault.localhost:<port>`
 * from the extension host (which resolves nothing itself when it goes through a proxy) and tunnels the bytes to
 * the one target it was made for, 127.0.0.1:<port> of the test server; TLS stays end to end, so the client still
 * checks the server's certificate for the name it asked for. It records every host asked for, so that a test can
 * check the traffic really went this way. Listens on 127.0.0.1 only; plain HTTP requests through it are refused.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxy {
  /** http://127.0.0.1:<port>, for `http.proxy` or HTTPS_PROXY. */
  readonly url: string;
  /** Every CONNECT's authority (host:port) as asked, in order. */
  readonly connects: readonly string[];
  close(): Promise<void>;
}

/** Starts a proxy tunnelling every CONNECT, whatever host it names, to `target` (127.0.0.1:port of a test server). */
export async function startConnectProxy(target: { host: string; port: number }): Promise<ConnectProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('this test proxy only tunnels (CONNECT)\n');
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    connects.push(req.url ?? '');
    sockets.add(client);
    const upstream = connect(target.port, target.host);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once('error', () => {
      if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      drop();
    });
    client.once('error', drop);
    upstream.once('close', () => {
      sockets.delete(upstream);
      client.end();
    });
    client.once('close', () => {
      sockets.delete(client);
      upstream.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
