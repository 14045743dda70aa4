// The process's stdout and stderr as the CLI uses them, and whether everything written to them went out: Node makes
// each stream on first use, so one never used has nothing queued (and asking it would make it).

let used = false;

/** process.stdout, noted as used. */
export function stdout(): NodeJS.WriteStream {
  used = true;
  return process.stdout;
}

/** process.stderr, noted as used. */
export function stderr(): NodeJS.WriteStream {
  used = true;
  return process.stderr;
}

/** Whether no byte written to stdout or stderr is still queued in Node (a full pipe's bytes wait there). */
export function flushed(): boolean {
  return !used || (process.stdout.writableLength === 0 && process.stderr.writableLength === 0);
}
