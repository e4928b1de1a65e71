import { Test } from '@nestjs/testing';
import { join, relative } from 'node:path';
import { settingsModule } from '../../../src/config/config.module';
import { loadConfig } from '../../../src/config';
import { TemplatesModule } from '../../../src/modules/templates/templates.module';
import { TemplatesService } from '../../../src/modules/templates/templates.service';
import { FIXTURES_DIR, SHIPPED_DIR } from '../../../src/modules/templates/testing/template-tree';

async function compose(env: Record<string, string>) {
  const moduleRef = await Test.createTestingModule({
    imports: [await settingsModule(loadConfig({ NODE_ENV: 'test', ...env })), TemplatesModule],
  }).compile();
  return { moduleRef, templates: moduleRef.get(TemplatesService) };
}

describe(TemplatesModule.name, () => {
  it('reads TEMPLATES_DIR relative to the working directory and applies the configured push limits', async () => {
    const { moduleRef, templates } = await compose({
      TEMPLATES_DIR: relative(process.cwd(), FIXTURES_DIR),
      PUSH_TITLE_MAX_CHARS: '12',
    });
    expect(templates.dir).toBe(FIXTURES_DIR);
    const push = templates.render(
      'push/plain',
      'push',
      { title: 'Kitchen remodel ideas', body: 'b', note: 'n' },
      { locale: 'en', timeZone: 'UTC' },
    );
    expect(push).toMatchObject({ title: 'Kitchen…', truncated: ['title'] });
    await moduleRef.close();
  });

  it('defaults to ./templates, the shipped layouts and partials', async () => {
    const { moduleRef, templates } = await compose({});
    expect(templates.dir).toBe(join(process.cwd(), 'templates'));
    expect(templates.dir).toBe(SHIPPED_DIR);
    expect(templates.list().every((t) => ['push', 'email'].includes(t.channel))).toBe(true);
    await moduleRef.close();
  });

  it('rejects a push limit outside its range at boot, naming the variable', () => {
    expect(() => loadConfig({ PUSH_PAYLOAD_MAX_BYTES: '100' })).toThrow(/PUSH_PAYLOAD_MAX_BYTES must be an integer/);
  });
});
