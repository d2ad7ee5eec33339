import { spawn } from 'node:child_process';

/**
 * Runs `node <args>` in `cwd` and resolves with what it printed (stdout and stderr) and its
 * exit code once it exits by itself; a child still running after `killAfterMs` is killed
 * (its code is then null), so a test of "exits by itself" fails instead of hanging.
 */
export async function runChild(
  args: readonly string[],
  cwd: string,
  killAfterMs = 15_000,
): Promise<{ output: string; code: number | null }> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const code = await exited;
  clearTimeout(timer);
  return { output, code };
}
