import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createKeyRing, KeyRing, parseSigningKeys, SigningKey } from './domain/signing-keys';

/** Key id of the generated development key, so tokens show where they were signed. */
export const DEV_KEY_ID = 'dev';

async function readKeyFile(path: string): Promise<SigningKey[]> {
  const content = (await readFile(path, 'utf8')).trim();
  try {
    return parseSigningKeys(content);
  } catch (error) {
    throw new Error(
      `TRACKING_DEV_KEY_FILE ${path} does not hold kid:secret keys (${(error as Error).message}); delete it to generate a new one`,
    );
  }
}

/**
 * The development key in `path`, created on first use. The key is written whole to a temporary file
 * and hard-linked into place, which fails if the file exists: processes starting together agree on
 * one key (the loser of the race reads the winner's), and nobody reads a half-written file.
 */
async function developmentKeys(path: string): Promise<{ keys: SigningKey[]; created: boolean }> {
  try {
    return { keys: await readKeyFile(path), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  const line = `${DEV_KEY_ID}:${randomBytes(32).toString('base64url')}\n`;
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, line, { mode: 0o600 });
  try {
    await link(temporary, path);
    return { keys: parseSigningKeys(line), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { keys: await readKeyFile(path), created: false };
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * The signing keys of this process: TRACKING_SIGNING_KEYS when set (always in production, which the
 * configuration enforces), otherwise a key generated once into TRACKING_DEV_KEY_FILE and reused, so
 * links keep working across restarts of a development install.
 */
export async function resolveKeyRing(
  tracking: { signingKeys?: SigningKey[]; devKeyFile: string },
  onGenerated: (path: string) => void = () => undefined,
): Promise<{ ring: KeyRing; source: 'configured' | 'development' }> {
  if (tracking.signingKeys) return { ring: createKeyRing(tracking.signingKeys), source: 'configured' };
  const { keys, created } = await developmentKeys(tracking.devKeyFile);
  if (created) onGenerated(tracking.devKeyFile);
  return { ring: createKeyRing(keys), source: 'development' };
}
