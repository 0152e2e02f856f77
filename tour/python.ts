/**
 * The CPython/NumPy side of the tour: `tour/tour_python.py`, run once per scenario and
 * runtime by the benchmarks' Python runner (`runScript`), after the Node side of that
 * scenario has finished (never beside it).
 *
 * A missing interpreter, a missing NumPy or a failing script gives a reason, never an
 * exception: the tour then says "not measured".
 */

import { interpreterFor, repoRoot, runScript } from '../bench/harness.js';
import type { PythonOutcome, PythonRequest } from './types.js';

/** The script, as a path from the repository root. */
const SCRIPT = 'tour/tour_python.py';

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
  const run = runScript(repoRoot(), SCRIPT, [JSON.stringify([request])], request.runtime);
  if (!run.ok) return { ok: false, reason: run.reason };
  let answers: ScriptAnswer[];
  try {
    answers = JSON.parse(run.stdout) as ScriptAnswer[];
  } catch {
    return { ok: false, reason: `${SCRIPT} printed no JSON answers` };
  }
  const answer = answers.find((a) => a.scenario === request.scenario);
  if (answer === undefined) return { ok: false, reason: 'the script gave no answer' };
  if (answer.ok !== true || answer.figures === undefined) {
    return { ok: false, reason: answer.reason ?? 'the script could not measure this' };
  }
  return {
    ok: true,
    by: answer.by ?? interpreterFor(request.runtime).command,
    figures: answer.figures,
    check: answer.check ?? {},
  };
}
