import https from 'node:https';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { TlsCertificate } from '../tls-certificate.js';

/**
 * One port that answers both HTTP and HTTPS for an app, as a TLS-terminating proxy in front of Tributary would.
 * Adobe's Luma collection needs it: most of its URLs are `{{PLATFORM_GATEWAY}}/data/...`, which newman sends as
 * http:// when the variable is a host:port, while its COMPLETE requests are built as `https://{{PLATFORM_GATEWAY}}`.
 * The first byte of a connection tells them apart: a TLS handshake starts with 22 (a handshake record).
 */
export async function listenHttpAndHttps(app: FastifyInstance, certificate: TlsCertificate): Promise<{ port: number; close: () => Promise<void> }> {
  await app.ready();
  const secure = https.createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => app.routing(request, response));
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 22 ? secure : app.server).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const address = front.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        front.close(() => resolve());
      }),
  };
}
