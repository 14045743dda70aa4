// The one error type the CLI's family commands throw on purpose: a message for the user and the exit code to
// leave with. Anything else reaching the dispatcher is an internal error.

/** Exit code: the kernel refused a request, or doctor found disagreements. */
export const EXIT_FAILED = 1;
/** Exit code: bad usage, a bad spec, or a request that failed validation (nothing was sent). */
export const EXIT_USAGE = 2;
/** Exit code of a spec that does not load (same as bad usage: the input is wrong). */
export const EXIT_SPEC = 2;

/** A failure to report as one or more lines and an exit code, never with a stack trace. */
export class ToolError extends Error {
  override name = 'ToolError';
  constructor(
    message: string,
    /** Exit code to leave with. */
    readonly exitCode: number,
  ) {
    super(message);
  }
}
