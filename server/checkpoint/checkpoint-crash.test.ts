/**
 * A real crash on a slow disk: a child process completes a checkpoint, begins the next and is killed
 * with SIGKILL while that one's transaction is open (its writes delayed). Reopening must show the
 * completed one whole (every operator's folded chain) and the interrupted one failed, never partial.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteCheckpointBackend } from './sqlite-backend.js';

const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.js', import.meta.url));
/**
 * How long after `writing` each round's kill lands: spread over the interrupted checkpoint's write
 * window (3 operator states and the commit, 40 ms each), so kills hit before, between and after writes.
 */
const KILL_AFTER_MS = [0, 30, 55, 85, 110, 140];
const ROUNDS = KILL_AFTER_MS.length;
const TIMEOUT_MS = 20_000;

/** Runs the writer, SIGKILLs it when it reports `writing`; resolves with its last `complete` id. */
function runAndKill(dataDir: string, killAfterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastComplete = -1;
    let pending = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer did not reach a write in ${TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, TIMEOUT_MS);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const m = /^(complete|writing) (\d+)$/.exec(line);
        if (m === null) continue;
        if (m[1] === 'complete') lastComplete = Number(m[2]);
        else if (!killed) {
          killed = true;
          setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // A kill after the commit is fine too: then the checkpoint counts as completed.
      if (signal === 'SIGKILL' && killed) resolve(lastComplete);
      else reject(new Error(`writer ended with ${code ?? signal} before being killed; stderr: ${stderr}`));
    });
  });
}

describe('checkpoint/sqlite-backend crash (SIGKILL mid-complete on a slow disk)', () => {
  it(`keeps every completed checkpoint whole and no interrupted one, over ${ROUNDS} kills`, async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshet-checkpoint-crash-'));
    try {
      const completed: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const acknowledged = await runAndKill(dir, KILL_AFTER_MS[round]!);
        completed.push(acknowledged);
        const backend = openSqliteCheckpointBackend(dir);
        try {
          const restore = await backend.latestRestorable();
          // A kill between the commit and the writer's `complete` line leaves one more complete checkpoint.
          const last = restore.point?.checkpoint.id ?? -1;
          assert.ok(last === acknowledged || last === acknowledged + 1, `round ${round}: restored ${last}, acknowledged ${acknowledged}`);
          if (last === acknowledged + 1) completed.push(last);
          assert.deepEqual(restore.skipped, []);
          assert.equal(restore.point?.sources.relationOffsets.get(16385), last);
          for (const ref of restore.point!.checkpoint.operators) {
            const state = await backend.readOperatorState(last, ref);
            const keys = state!.map((e) => e.key).sort();
            assert.deepEqual(keys, completed.map((id) => `c${id}`).sort(), `round ${round}: ${ref.operatorId} folds every completed checkpoint`);
          }
          assert.equal(restore.point!.checkpoint.operators.length, 3);
          if (last === acknowledged) {
            const interrupted = (await backend.report()).find((r) => r.id === last + 1);
            assert.equal(interrupted?.status, 'failed');
            assert.equal(interrupted?.operators.length, 0, 'no state of the interrupted checkpoint was stored');
          }
        } finally {
          await backend.close();
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
