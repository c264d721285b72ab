// The error of a bad invocation or a bad environment: the CLI prints its
// message on one line and exits 2 (src/cli.ts).
export class UsageError extends Error {}
