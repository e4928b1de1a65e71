import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TemplatesService } from '../templates.service';

/** The repository's test templates (`test/fixtures/templates`) and shipped templates (`templates/`). */
export const FIXTURES_DIR = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'templates');
export const SHIPPED_DIR = join(__dirname, '..', '..', '..', '..', 'templates');

export const TEST_PUSH_LIMITS = { titleMaxChars: 65, bodyMaxChars: 240, payloadMaxBytes: 4096 };

const trees: string[] = [];

/** Deletes every folder `templateTree` made in this process (call it in `afterAll`). */
export function removeTemplateTrees(): void {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
}

/**
 * A throw-away templates folder holding `files` (paths relative to it), optionally on top of a copy
 * of the shipped layouts and partials.
 */
export function templateTree(files: Record<string, string>, options: { shipped?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'jc-templates-'));
  trees.push(root);
  if (options.shipped) {
    for (const folder of ['layouts', 'partials']) {
      cpSync(join(SHIPPED_DIR, folder), join(root, folder), { recursive: true });
    }
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A service over a folder, with the default push limits. */
export function templatesService(dir: string, nonce?: () => string): TemplatesService {
  return new TemplatesService({ dir, pushLimits: TEST_PUSH_LIMITS, nonce });
}
