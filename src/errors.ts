/**
 * Failures that end a CLI command with a known exit code (DESIGN.md, Contracts):
 * 2 for bad input or config (one line naming the file, field or argument, and what would be valid),
 * 1 for failures at run time.
 */
export class BadInputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

export class RunTimeError extends Error {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunTimeError';
  }
}
