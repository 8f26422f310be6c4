/**
 * Errors of the checkpoint backend. A damaged checkpoint (a blob failing its checksum or framing) is
 * data corruption, SQLSTATE XX001 as PostgreSQL reports it; recovery catches it and falls back.
 */
import { SqlError } from '../errors.js';

/** PostgreSQL's data_corrupted. */
export const DATA_CORRUPTED = 'XX001';

export class CheckpointDamagedError extends SqlError {
  constructor(
    readonly checkpointId: number,
    readonly failure: string,
  ) {
    super(DATA_CORRUPTED, `checkpoint ${checkpointId} is damaged: ${failure}`);
    this.name = 'CheckpointDamagedError';
  }
}
