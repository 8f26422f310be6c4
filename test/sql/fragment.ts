/**
 * Test helper: asserts that an AST contains an expected fragment. Objects match when every key of
 * the expected object matches (extra keys such as `pos` are ignored); arrays match element-wise and
 * must have the same length.
 */
import assert from 'node:assert/strict';

export function matchesFragment(actual: unknown, expected: unknown, path = '$'): void {
  if (expected === null || typeof expected !== 'object') {
    assert.deepEqual(actual, expected, `at ${path}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `at ${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `at ${path}: length of ${JSON.stringify(actual)}`);
    expected.forEach((e, i) => matchesFragment(actual[i], e, `${path}[${i}]`));
    return;
  }
  assert.ok(actual !== null && typeof actual === 'object', `at ${path}: expected an object, got ${JSON.stringify(actual)}`);
  for (const [k, v] of Object.entries(expected)) {
    if (v === undefined) {
      assert.equal((actual as Record<string, unknown>)[k], undefined, `at ${path}.${k}: expected absent`);
      continue;
    }
    matchesFragment((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  }
}
