#!/usr/bin/env node
// The `freshet` binary: a thin launcher for the compiled command-line entry point.
import('../dist/server/cli.js').then((m) => m.main(process.argv.slice(2))).catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
