/**
 * Finds a free TCP port on the loopback interface by binding port 0 and releasing it.
 * Used by the test harness to start PostgreSQL and Freshet servers side by side.
 * The port can in principle be taken between release and reuse; callers retry on bind failure.
 */
import net from 'node:net';

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the bound port'));
        return;
      }
      const port = address.port;
      server.close(() => resolve(port));
    });
  });
}
