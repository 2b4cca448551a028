/**
 * Failures every entry point maps the same way (defineCallable, the HTTP router): something that
 * does not exist, or a send or plan refused with a reason a person can read and a machine code.
 */
export class NotFound extends Error {}

export class Refused extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}
