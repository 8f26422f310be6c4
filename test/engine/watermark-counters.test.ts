/**
 * A watermarked stream's drop counters (late rows, rows without event time) are committed with the
 * writes that counted them, so freshet_watermarks shows the same figures after a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FreshetEngine } from '../../server/engine/freshet-engine.js';
import { rows, run } from './engine-harness.js';

describe('watermark counters across a restart', function () {
  this.timeout(60_000);

  it('keeps late and NULL-time drops counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'freshet-wm-counters-'));
    const counters = "SELECT late_rows, null_time_rows FROM freshet_watermarks WHERE relname = 'clicks'";
    try {
      let engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
      let s = engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
      await run(s, "CREATE STREAM clicks (ts timestamp, u int, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)");
      await run(s, "INSERT INTO clicks VALUES ('2024-01-01 10:00:00', 1)");
      await run(s, "INSERT INTO clicks VALUES ('2024-01-01 09:00:00', 2), (NULL, 3), ('2024-01-01 10:00:05', 4)");
      assert.deepEqual(await rows(s, counters), [[1n, 1n]]);
      await engine.close();

      engine = await FreshetEngine.open(dir, { checkpointIntervalMs: 0 });
      s = engine.openSession({ user: 'freshet', database: 'freshet', parameters: {} });
      assert.deepEqual(await rows(s, counters), [[1n, 1n]]);
      await run(s, "INSERT INTO clicks VALUES ('2024-01-01 09:30:00', 5)");
      assert.deepEqual(await rows(s, counters), [[2n, 1n]]);
      assert.deepEqual(await rows(s, 'SELECT count(*) FROM clicks'), [[2n]]);
      await engine.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
