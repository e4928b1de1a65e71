/** The only reader of process.env: entry points pass this snapshot to loadConfig(). */
export function processEnvironment(): Record<string, string | undefined> {
  return { ...process.env };
}
