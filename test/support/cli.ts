// Runs the nlgen CLI in-process, capturing what it prints (no build needed; the CLI never calls process.exit).
import { main, type CliIo } from '../../generator/cli.js';

/** Exit code and output of `nlgen <argv>`. */
export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await main(argv, io);
  return { code, out, err };
}
