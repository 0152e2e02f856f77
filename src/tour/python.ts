/**
 * The CPython/NumPy side of the tour: `scripts/tour_python.py`, run once per scenario and
 * runtime, after the Node side of that scenario has finished (never beside it).
 *
 * CPython parts run with `$PYTHON` (default `python3` under `PYENV_VERSION=3.13.0`); NumPy
 * parts with `$NUMPY_PYTHON` (default the plain `python3`, which has NumPy here). A missing
 * interpreter, a missing NumPy or a failing script gives a reason, never an exception: the
 * tour then says "not measured".
 */

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PythonOutcome, PythonRequest } from './types.js';

const SCRIPT = join('scripts', 'tour_python.py');
const TIMEOUT_MS = 15 * 60 * 1000;

/** The folder holding `scripts/tour_python.py`: the nearest one above this module. */
export function findScript(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, SCRIPT);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The command line that runs a runtime, as it is shown in the report. */
export function interpreterFor(runtime: PythonRequest['runtime']): {
  readonly command: string;
  readonly env: NodeJS.ProcessEnv;
  readonly display: string;
} {
  if (runtime === 'cpython') {
    const command = process.env.PYTHON ?? 'python3';
    const version = process.env.PYENV_VERSION ?? '3.13.0';
    return {
      command,
      env: { ...process.env, PYENV_VERSION: version },
      display: `PYENV_VERSION=${version} ${command}`,
    };
  }
  const command = process.env.NUMPY_PYTHON ?? 'python3';
  const env = { ...process.env };
  delete env.PYENV_VERSION;
  return { command, env, display: command };
}

interface ScriptAnswer {
  readonly scenario?: string;
  readonly ok?: boolean;
  readonly by?: string;
  readonly reason?: string;
  readonly figures?: Record<string, number>;
  readonly check?: Record<string, number | string | boolean>;
}

/**
 * Runs the script for one request and returns its figures, or why there are none. The
 * request goes as JSON on argv (a list of one); the script prints a JSON list of answers.
 */
export async function runPython(request: PythonRequest): Promise<PythonOutcome> {
  const script = findScript();
  if (script === null) return { ok: false, reason: `${SCRIPT} not found` };
  const { command, env } = interpreterFor(request.runtime);
  const run = await spawnCollect(command, [script, JSON.stringify([request])], env);
  if (run.error !== null) return { ok: false, reason: `${command}: ${run.error}` };
  let answers: ScriptAnswer[];
  try {
    answers = JSON.parse(run.stdout) as ScriptAnswer[];
  } catch {
    const why = run.stderr.trim().split('\n').slice(-1)[0] || `exit ${run.code}`;
    return { ok: false, reason: `${command} failed: ${why}` };
  }
  const answer = answers.find((a) => a.scenario === request.scenario);
  if (answer === undefined) return { ok: false, reason: 'the script gave no answer' };
  if (answer.ok !== true || answer.figures === undefined) {
    return { ok: false, reason: answer.reason ?? 'the script could not measure this' };
  }
  return {
    ok: true,
    by: answer.by ?? command,
    figures: answer.figures,
    check: answer.check ?? {},
  };
}

interface SpawnResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly error: string | null;
}

function spawnCollect(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<SpawnResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (result: SpawnResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ stdout, stderr, code: null, error: `timed out after ${TIMEOUT_MS / 60000} min` });
    }, TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) => finish({ stdout, stderr, code: null, error: error.message }));
    child.on('close', (code) => finish({ stdout, stderr, code, error: null }));
  });
}
