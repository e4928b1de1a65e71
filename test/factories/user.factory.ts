/** A complete, valid PUT /v1/users body; override any field. */
export function buildUserProfile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email: 'ana@example.com',
    pushTokens: [{ platform: 'fcm', token: 'fcm-token-abc123' }],
    locale: 'en-GB',
    timeZone: 'Europe/London',
    attributes: { plan: 'pro', signupYear: 2024, beta: true },
    consent: { email: true, push: false },
    ...overrides,
  };
}
