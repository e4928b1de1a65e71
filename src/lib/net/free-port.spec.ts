import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { freePort } from './free-port';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('freePort', () => {
  it('gives a port that a server can bind right after', async () => {
    const port = await freePort();
    const server = await listen(port);
    expect((server.address() as { port: number }).port).toBe(port);
    await new Promise((r) => server.close(r));
  });

  it('never gives a port from the range the kernel hands to other sockets', async () => {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low);
    }
  });

  it('skips a port that is taken', async () => {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const taken = await listen(await freePort());
    const takenPort = (taken.address() as { port: number }).port;
    // The first pick lands on the taken port, the second just above it.
    const picks = [(takenPort + 0.5 - 10_000) / (low - 10_000), (takenPort + 1.5 - 10_000) / (low - 10_000)];
    const port = await freePort('127.0.0.1', () => picks.shift() ?? Math.random());
    expect(picks).toHaveLength(0);
    expect(port).not.toBe(takenPort);
    await new Promise((r) => taken.close(r));
  });
});
