/**
 * Sources start a dataflow: each pushes chunks to its downstream and then `end`. `run()` is a
 * generator that pushes at most one chunk per step, so the driver can stop pulling (LIMIT reached,
 * client closed the portal) and check for cancellation between chunks.
 */
export interface Source {
  readonly name: string;
  run(): Generator<void, void, void>;
}
