// Each check returns a list of problems (strings a person can act on); the run prints
// them grouped by check and ends with the plain closing line "N passed, N failed".

export class Report {
  constructor() {
    this.results = [];
  }

  /** Runs `fn` (which returns problems) as the check `name`; a throw is a problem too. */
  async check(name, fn) {
    const started = Date.now();
    process.stdout.write(`\n-- ${name}\n`);
    let problems;
    try {
      problems = (await fn()) ?? [];
    } catch (error) {
      problems = [`the check could not finish: ${error?.stack ?? error}`];
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    this.results.push({ name, problems });
    if (problems.length === 0) {
      process.stdout.write(`ok   ${name} (${seconds} s)\n`);
    } else {
      process.stdout.write(`FAIL ${name} (${seconds} s): ${problems.length} problem(s)\n`);
      for (const problem of problems) process.stdout.write(`  - ${indent(problem)}\n`);
    }
  }

  /** A check that is not run, and why (counted apart, never as passed). */
  pending(name, why) {
    process.stdout.write(`\n-- ${name}\nPENDING ${name}: ${why}\n`);
    this.results.push({ name, pending: why });
  }

  /** Prints the summary; true when every check that ran passed. */
  finish() {
    const failed = this.results.filter((r) => r.problems?.length);
    const passed = this.results.filter((r) => r.problems && !r.problems.length);
    const pending = this.results.filter((r) => r.pending);
    process.stdout.write('\n== browser and audit checks\n');
    for (const r of this.results) {
      const state = r.pending ? 'PENDING' : r.problems.length ? 'FAIL' : 'ok';
      process.stdout.write(`${state.padEnd(8)}${r.name}\n`);
    }
    process.stdout.write(`\n${passed.length} passed, ${failed.length} failed, ${pending.length} skipped\n`);
    return failed.length === 0;
  }
}

function indent(text) {
  return String(text).replace(/\n/g, '\n    ');
}
