import { Test } from '@nestjs/testing';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config';
import { settingsModule } from '../../../src/config/config.module';
import { parseSigningKeys } from '../../../src/modules/tracking/domain/signing-keys';
import { resolveKeyRing } from '../../../src/modules/tracking/tracking-keys';
import { TrackingTokensModule } from '../../../src/modules/tracking/tracking-tokens.module';
import { TrackingTokens } from '../../../src/modules/tracking/tracking-tokens.service';
import { scratchDir } from '../delivery/channels-harness';

describe('tracking signing keys', () => {
  let scratch: ReturnType<typeof scratchDir>;
  beforeEach(() => {
    scratch = scratchDir('tracking');
  });
  afterEach(() => scratch.remove());

  it('uses TRACKING_SIGNING_KEYS when set: the first signs, all verify', async () => {
    const keys = parseSigningKeys(`new:${'n'.repeat(32)},old:${'o'.repeat(32)}`);
    const { ring, source } = await resolveKeyRing({ signingKeys: keys, devKeyFile: join(scratch.dir, 'unused') });
    expect(source).toBe('configured');
    expect(ring.signing.kid).toBe('new');
    expect([...ring.byKid.keys()]).toEqual(['new', 'old']);
  });

  it('generates one development key, private to the owner, and reuses it across restarts', async () => {
    const devKeyFile = join(scratch.dir, 'nested', 'tracking-signing-key');
    const generated: string[] = [];
    const first = await resolveKeyRing({ devKeyFile }, (path) => generated.push(path));
    const again = await resolveKeyRing({ devKeyFile }, (path) => generated.push(path));
    expect(first.source).toBe('development');
    expect(first.ring.signing).toEqual(again.ring.signing);
    expect(first.ring.signing.kid).toBe('dev');
    expect(generated).toEqual([devKeyFile]);
    expect(statSync(devKeyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(devKeyFile, 'utf8')).toMatch(/^dev:[A-Za-z0-9_-]{43}\n$/);
  });

  it('agrees on one key when several processes start at once', async () => {
    const devKeyFile = join(scratch.dir, 'tracking-signing-key');
    const rings = await Promise.all(Array.from({ length: 8 }, () => resolveKeyRing({ devKeyFile })));
    expect(new Set(rings.map((r) => r.ring.signing.secret)).size).toBe(1);
    expect(readdirSync(scratch.dir)).toEqual(['tracking-signing-key']);
  });

  it('names the file when it holds no usable key', async () => {
    const devKeyFile = scratch.file('tracking-signing-key', 'garbage');
    await expect(resolveKeyRing({ devKeyFile })).rejects.toThrow(
      /TRACKING_DEV_KEY_FILE .* does not hold kid:secret keys/,
    );
  });

  it('gives the module a token service that signs with the configured key and verifies by kind', async () => {
    const settings = loadConfig({ NODE_ENV: 'test' });
    const moduleRef = await Test.createTestingModule({
      imports: [settingsModule(settings), TrackingTokensModule],
    }).compile();
    const tokens = moduleRef.get(TrackingTokens);
    const token = tokens.sign({ kind: 'click', notificationId: 'n1', linkId: 'l1' });
    expect(token).toMatch(/^v1\.test\./);
    expect(tokens.verify(token, 'click')).toMatchObject({ valid: true, claims: { linkId: 'l1' } });
    expect(tokens.verify(token, 'unsubscribe')).toEqual({ valid: false, reason: 'wrong-kind' });
    await moduleRef.close();
  });
});
