/** How far back the answers that decide whether a provider's ambiguous refusals may remove tokens go. */
export const TOKEN_REMOVAL_WINDOW_MS = 15 * 60_000;
/** The answers of the window are counted per bucket of this length: the window slides by whole buckets. */
export const TOKEN_REMOVAL_BUCKET_MS = 1000;
/** Ambiguous refusals in the window before their share can stop removals: fewer always remove. */
export const TOKEN_REMOVAL_MIN_REFUSALS = 10;
/** The share of a provider's answers in the window above which ambiguous refusals remove no token. */
export const TOKEN_REMOVAL_MAX_SHARE = 0.2;
