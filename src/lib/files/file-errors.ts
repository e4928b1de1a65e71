const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory, not a file',
  EEXIST: 'a file of that name already exists',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * Why a file could not be opened, in words and without the errno code or the path (`no such file or
 * directory`), or undefined when `error` is not a file-system error we can word.
 */
export function fileErrorReason(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
}
