/** Scan: every row of a relation (table, stream, view's storage or system table) as the source sees it. */
import type { RelationDef } from '../../catalog/model.js';
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

export class ScanNode implements PlanProperties {
  readonly kind = 'scan' as const;
  readonly schema: readonly PlanColumn[];
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[] = [];
  constructor(readonly rel: RelationDef) {
    this.schema = rel.columns.map((c) => ({ name: c.name, type: c.type, tableOid: rel.oid, attnum: c.attnum }));
    this.streamKey = rel.primaryKey.length > 0 ? rel.primaryKey : undefined;
    this.appendOnly = rel.kind === 'stream';
  }
  describe(): string {
    return `Scan ${this.rel.schema}.${this.rel.name} (${this.rel.kind})`;
  }
}
