/**
 * fast-check arbitraries for oracle cases: a small schema (2-3 tables with nullable columns), and a
 * sequence of INSERT / UPDATE / DELETE / CREATE VIEW steps whose values come from tiny domains, so
 * groups, join matches, NULLs and duplicate keys collide often. Only builds values of oracle-case.ts.
 */
import fc from 'fast-check';
import type {
  Agg, DmlStep, AnyExpr, Assignment, CmpOp, ExprPerCategory, From, Having, JoinCondition, JoinStep, NumExpr, OracleCase, Pred,
  RowSpec, SetOp, SetOpBranch, Source, Step, SubquerySpec, TableSpec, TextExpr, ViewQuery,
} from './oracle-case.js';

const cmpOp: fc.Arbitrary<CmpOp> = fc.constantFrom('=', '<>', '<', '<=', '>', '>=');
const pick = fc.nat(7);
const smallInt = fc.integer({ min: -2, max: 5 });
const nullableInt = fc.option(smallInt, { nil: null, freq: 5 });
const textValue = fc.constantFrom('a', 'b', 'c', 'ab', '');
const nullableText = fc.option(textValue, { nil: null, freq: 5 });
const nullableBool = fc.option(fc.boolean(), { nil: null, freq: 4 });

/** null, except once in `oneIn` times (fc.option's freq is the other way round). */
function mostlyNull<T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

interface ExprArbitraries {
  num: NumExpr;
  text: TextExpr;
  pred: Pred;
}

/** Scalar expressions of each category, at most a few levels deep. */
const subquery: fc.Arbitrary<SubquerySpec> = fc.record({
  table: fc.nat(2),
  corr: fc.option(pick, { nil: null, freq: 3 }),
  minV: mostlyNull(smallInt, 3),
});

const exprs = fc.letrec<ExprArbitraries>((tie) => {
  const numT = tie('num') as fc.Arbitrary<NumExpr>;
  const textT = tie('text') as fc.Arbitrary<TextExpr>;
  const predT = tie('pred') as fc.Arbitrary<Pred>;
  const depth = { maxDepth: 3, depthIdentifier: 'oracle-expr', depthSize: 'small' } as const;
  const anyExpr: fc.Arbitrary<AnyExpr> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ cat: fc.constant('num' as const), e: numT }) },
    { weight: 2, arbitrary: fc.record({ cat: fc.constant('text' as const), e: textT }) },
    { weight: 1, arbitrary: fc.record({ cat: fc.constant('bool' as const), e: predT }) },
  );
  return {
    num: fc.oneof(
      depth,
      { weight: 8, arbitrary: fc.record({ kind: fc.constant('col' as const), pick }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('lit' as const), value: nullableInt }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('arith' as const), op: fc.constantFrom('+' as const, '-' as const), l: numT, r: numT }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('scale' as const), op: fc.constantFrom('*' as const, '/' as const, '%' as const), e: numT, k: fc.constantFrom(2, 3, -1, -2) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('neg' as const), e: numT }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('case' as const), when: predT, then: numT, otherwise: fc.option(numT, { nil: null }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('coalesce' as const), first: numT, second: numT }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('nullif' as const), e: numT, k: smallInt }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('length' as const), e: textT }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('scalarSub' as const), agg: fc.constantFrom('count' as const, 'sum' as const, 'min' as const, 'max' as const), sub: subquery }) },
    ),
    text: fc.oneof(
      depth,
      { weight: 8, arbitrary: fc.record({ kind: fc.constant('col' as const), pick }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('lit' as const), value: nullableText }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('concat' as const), l: textT, r: textT }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('upper' as const), e: textT }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('case' as const), when: predT, then: textT, otherwise: fc.option(textT, { nil: null }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('coalesce' as const), first: textT, second: textT }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('fromNum' as const), e: numT }) },
    ),
    pred: fc.oneof(
      depth,
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('cmpNum' as const), op: cmpOp, l: numT, r: numT }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('col' as const), pick }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('lit' as const), value: nullableBool }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('cmpText' as const), op: cmpOp, l: textT, r: textT }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('isNull' as const), negated: fc.boolean(), e: anyExpr }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('distinctFrom' as const), negated: fc.boolean(), l: numT, r: numT }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('in' as const), negated: fc.boolean(), e: numT, values: fc.array(fc.option(smallInt, { nil: null, freq: 4 }), { minLength: 1, maxLength: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('between' as const), e: numT, lo: smallInt, hi: smallInt }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('like' as const), e: textT, pattern: fc.constantFrom('a%', '%b', '_', '%') }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('truth' as const), test: fc.constantFrom('IS TRUE' as const, 'IS NOT FALSE' as const, 'IS UNKNOWN' as const), e: predT }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), l: predT, r: predT }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('not' as const), e: predT }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('inSub' as const), negated: fc.boolean(), e: numT, col: fc.constantFrom('g' as const, 'v' as const), sub: subquery }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('existsSub' as const), negated: fc.boolean(), sub: subquery }) },
    ),
  };
});

const numExpr = exprs.num;
const textExpr = exprs.text;
const pred = exprs.pred;
const optionalPred = fc.option(pred, { nil: null, freq: 3 });

const anyExpr: fc.Arbitrary<AnyExpr> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ cat: fc.constant('num' as const), e: numExpr }) },
  { weight: 2, arbitrary: fc.record({ cat: fc.constant('text' as const), e: textExpr }) },
  { weight: 1, arbitrary: fc.record({ cat: fc.constant('bool' as const), e: pred }) },
);

const exprPerCategory: fc.Arbitrary<ExprPerCategory> = fc.record({ num: numExpr, text: textExpr, bool: pred });

const agg: fc.Arbitrary<Agg> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('countStar' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('count' as const), distinct: fc.boolean(), arg: anyExpr }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('numAgg' as const), fn: fc.constantFrom('sum' as const, 'avg' as const, 'min' as const, 'max' as const), distinct: fc.constantFrom(false, false, false, true), arg: numExpr }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('textAgg' as const), fn: fc.constantFrom('min' as const, 'max' as const), arg: textExpr }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('boolAgg' as const), fn: fc.constantFrom('bool_and' as const, 'bool_or' as const), arg: pred }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stringAgg' as const), distinct: fc.boolean(), arg: textExpr }) },
);

const having: fc.Arbitrary<Having> = fc.letrec<{ having: Having }>((tie) => ({
  having: fc.oneof(
    { maxDepth: 2, depthIdentifier: 'oracle-having' },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('cmpNum' as const), agg, op: cmpOp, k: smallInt }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('isNotNull' as const), agg }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), l: tie('having') as fc.Arbitrary<Having>, r: tie('having') as fc.Arbitrary<Having> }) },
  ),
})).having;

/** Mostly tables; a view source names an earlier view (it falls back to a table when there is none). */
const source: fc.Arbitrary<Source> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('table' as const), pick: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('view' as const), back: fc.nat(2) }) },
);

const joinCondition: fc.Arbitrary<JoinCondition> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('equi' as const),
      keys: fc.array(fc.record({ cat: fc.constantFrom('num' as const, 'num' as const, 'text' as const), l: pick, r: pick }), { minLength: 1, maxLength: 2 }),
      extra: mostlyNull(pred, 3),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('theta' as const), op: cmpOp, l: pick, r: pick, extra: mostlyNull(pred, 3) }) },
);

const joinStep: fc.Arbitrary<JoinStep> = fc.record({
  type: fc.constantFrom('inner' as const, 'left' as const, 'right' as const, 'full' as const),
  source,
  on: joinCondition,
});

const from: fc.Arbitrary<From> = fc.record({
  first: source,
  joins: fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as JoinStep[]) },
    { weight: 3, arbitrary: fc.array(joinStep, { minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.array(joinStep, { minLength: 2, maxLength: 2 }) },
  ),
});

const setOpBranch: fc.Arbitrary<SetOpBranch> = fc.record({
  source,
  where: optionalPred,
  items: fc.array(exprPerCategory, { minLength: 1, maxLength: 3 }),
});

const setOp: fc.Arbitrary<SetOp> = fc.constantFrom('UNION', 'UNION ALL', 'INTERSECT', 'INTERSECT ALL', 'EXCEPT', 'EXCEPT ALL');

export const viewQuery: fc.Arbitrary<ViewQuery> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('select' as const),
      distinct: fc.boolean(),
      from,
      where: optionalPred,
      items: fc.array(anyExpr, { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('aggregate' as const),
      from,
      where: optionalPred,
      groupBy: fc.array(anyExpr, { minLength: 0, maxLength: 2 }),
      aggs: fc.array(agg, { minLength: 1, maxLength: 3 }),
      having: mostlyNull(having, 2),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('setop' as const),
      op: setOp,
      cats: fc.array(fc.constantFrom('num' as const, 'num' as const, 'text' as const, 'bool' as const), { minLength: 1, maxLength: 3 }),
      left: setOpBranch,
      right: setOpBranch,
    }),
  },
);

const rowSpec: fc.Arbitrary<RowSpec> = fc.record({
  duplicateOf: mostlyNull(fc.nat(20), 12),
  g: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 5 }),
  v: nullableInt,
  s: nullableText,
  b: nullableBool,
});

const assignment: fc.Arbitrary<Assignment> = fc.record({
  column: fc.constantFrom('g' as const, 'v' as const, 'v' as const, 's' as const, 'b' as const, 'id' as const),
  value: exprPerCategory,
});

const tableIndex = fc.nat(2);

const insertStep: fc.Arbitrary<DmlStep> = fc.record({ kind: fc.constant('insert' as const), table: tableIndex, rows: fc.array(rowSpec, { minLength: 1, maxLength: 5 }) });
const updateStep: fc.Arbitrary<DmlStep> = fc.record({ kind: fc.constant('update' as const), table: tableIndex, set: fc.array(assignment, { minLength: 1, maxLength: 2 }), where: optionalPred });
const deleteStep: fc.Arbitrary<DmlStep> = fc.record({ kind: fc.constant('delete' as const), table: tableIndex, where: fc.option(pred, { nil: null, freq: 8 }) });
const dmlStep: fc.Arbitrary<DmlStep> = fc.oneof(
  { weight: 3, arbitrary: insertStep }, { weight: 2, arbitrary: updateStep }, { weight: 1, arbitrary: deleteStep },
);

const restartStep: fc.Arbitrary<Step> = fc.constant({ kind: 'restart' as const });

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: insertStep },
  { weight: 2, arbitrary: updateStep },
  { weight: 2, arbitrary: deleteStep },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('transaction' as const),
      body: fc.array(dmlStep, { minLength: 1, maxLength: 4 }),
      commit: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('createView' as const), query: viewQuery }) },
);

const tableSpec: fc.Arbitrary<TableSpec> = fc.record({
  hasPrimaryKey: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  hasBool: fc.boolean(),
});

/** Cases; with `restarts`, some steps crash and restart the server under test. */
export function oracleCase(options: { readonly restarts: boolean }): fc.Arbitrary<OracleCase> {
  const anyStep = options.restarts ? fc.oneof({ weight: 12, arbitrary: step }, { weight: 1, arbitrary: restartStep }) : step;
  return fc.record({
    tables: fc.array(tableSpec, { minLength: 2, maxLength: 3 }),
    steps: fc.array(anyStep, { minLength: 3, maxLength: 24 }),
  });
}
