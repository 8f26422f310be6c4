/**
 * The SQL of the benchmark: the two tables and the view under test. `group` is the join + group-by
 * view the benchmark is about; `join` is the join alone (useful while the incremental aggregate is
 * not available, and to see what the group-by costs on top of the join).
 */
export type ViewShape = 'group' | 'join';

export const CREATE_TABLES = [
  'CREATE TABLE customers (id int PRIMARY KEY, region int)',
  'CREATE TABLE orders (id int PRIMARY KEY, customer int, amount int)',
] as const;

export function viewQuery(shape: ViewShape): string {
  switch (shape) {
    case 'group':
      return 'SELECT c.region, count(*) AS n, sum(o.amount) AS total FROM orders o JOIN customers c ON o.customer = c.id GROUP BY c.region';
    case 'join':
      return 'SELECT o.id, c.region, o.amount FROM orders o JOIN customers c ON o.customer = c.id';
    default: {
      const never: never = shape;
      throw new Error(`unknown view shape ${String(never)}`);
    }
  }
}

/** Reads the view as per-region (count, sum) rows, whatever its shape: region, n, total. */
export function regionTotalsQuery(shape: ViewShape, view: string): string {
  switch (shape) {
    case 'group':
      return `SELECT region, n, total FROM ${view}`;
    case 'join':
      return `SELECT region, count(*), sum(amount) FROM ${view} GROUP BY region`;
    default: {
      const never: never = shape;
      throw new Error(`unknown view shape ${String(never)}`);
    }
  }
}
