import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Lowest port handed out by {@link freePort}: below it sit well-known and registered services. */
const LOWEST = 10_000;

/**
 * The kernel's ephemeral port range (Linux), from which it picks ports for `listen(0)` and for every
 * outgoing connection; undefined where it cannot be read.
 */
function ephemeralRange(): [number, number] | undefined {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && Number.isInteger(high) ? [low, high] : undefined;
  } catch {
    return undefined;
  }
}

function tryListen(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A TCP port on `host` that is free now, for a server that must be told its port before it binds (a
 * child process, an app whose public URL is configured at boot). Where the ephemeral range is known the
 * port is picked below it: the kernel never gives such a port to another socket in the meantime (an
 * outgoing connection, another `listen(0)`), which closes the race between this probe and the bind.
 */
export async function freePort(host = '127.0.0.1', random: () => number = Math.random): Promise<number> {
  const range = ephemeralRange();
  if (range && range[0] - LOWEST >= 1_000) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const candidate = LOWEST + Math.floor(random() * (range[0] - LOWEST));
      const port = await tryListen(candidate, host);
      if (port !== undefined) return port;
    }
  }
  const port = await tryListen(0, host);
  if (port === undefined) throw new Error(`no free TCP port on ${host}`);
  return port;
}
