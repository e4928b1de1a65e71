import { COMPILED_DIR, COMPILED_ENV, compileApp } from './compiled-app';

// Both projects name this setup; a run of both brings the copy up to date once.
let done = false;

/**
 * Jest global setup of the integration and e2e projects: brings the compiled copy of the app up to date
 * once per run, so the product's processes these tests start (app roles, CLI, embedded server, demo) load
 * JavaScript instead of compiling the sources again each.
 */
export default function globalBuild(): void {
  if (done) return;
  done = true;
  compileApp();
  process.env[COMPILED_ENV] = COMPILED_DIR;
}
