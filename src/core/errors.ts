/**
 * Errors that abort a command. Only the bin entry (src/cli/main.ts) turns them
 * into an exit code; everything else throws or returns typed results.
 * Exit codes are a contract (SPEC §7): 1 refused/problems, 2 usage, 3 environment.
 */
export class OrchError extends Error {
  readonly exitCode: number = 1;
  /** What the user should do about it; printed on the line after the error. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
    this.name = new.target.name;
  }
}

/** The command ran and refused (task not found, claim lost, lint errors…). */
export class RefusedError extends OrchError {
  override readonly exitCode = 1;
}

/** Bad flags or arguments. */
export class UsageError extends OrchError {
  override readonly exitCode = 2;
}

/** Something the command needs is missing: not a workspace, no git, no tmux. */
export class EnvError extends OrchError {
  override readonly exitCode = 3;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
