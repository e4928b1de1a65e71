import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../../embedded-mongo';
import { probeRedis } from '../redis/redis-probe';

export const ENDPOINTS_FILE = 'journeycast-endpoints.json';

/** The servers a running process started for development, as other processes (the CLI) find them. */
export interface Endpoints {
  pid: number;
  mongo?: string;
  redis?: string;
}

/** Records the servers this process started, replacing the file atomically. */
export function publishEndpoints(dataDir: string, endpoints: Omit<Endpoints, 'pid'>): void {
  mkdirSync(dataDir, { recursive: true });
  const tmp = join(dataDir, `${ENDPOINTS_FILE}.${process.pid}`);
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, ...endpoints }));
  renameSync(tmp, join(dataDir, ENDPOINTS_FILE));
}

/** Removes the file if this process wrote it (another process may have published since). */
export function withdrawEndpoints(dataDir: string): void {
  if (readEndpoints(dataDir)?.pid !== process.pid) return;
  try {
    unlinkSync(join(dataDir, ENDPOINTS_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export function readEndpoints(dataDir: string): Endpoints | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, ENDPOINTS_FILE), 'utf8')) as Endpoints;
    return typeof parsed.pid === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The Redis a running process published, if that process is alive and the Redis still answers:
 * a file left by a crashed app points nowhere and is ignored.
 */
export async function publishedRedis(dataDir: string): Promise<string | null> {
  const endpoints = readEndpoints(dataDir);
  if (!endpoints?.redis || !processAlive(endpoints.pid)) return null;
  const { hostname, port } = new URL(endpoints.redis);
  return (await probeRedis(hostname, Number(port))) ? endpoints.redis : null;
}
