/**
 * state-blob and crc32: the CRC matches the standard check value and zlib's; blobs round-trip; every
 * single-bit flip, every truncation and a header naming another operator or checkpoint is reported as
 * damaged, never decoded.
 */
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { crc32 } from './crc32.js';
import {
  BlobKind,
  decodeSourcePositions,
  encodeOperatorState,
  encodeSourcePositions,
  foldOperatorStates,
  openBlob,
} from './state-blob.js';

const REF = { queryOid: 7, operatorId: 'TopN#4' };
const expectFull = { kind: BlobKind.Full, checkpointId: 3, ...REF };

describe('checkpoint/crc32', () => {
  it('gives the standard check value and agrees with zlib', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => crc32(bytes) === zlib.crc32(bytes)));
  });
});

describe('checkpoint/state-blob', () => {
  it('round-trips full and incremental writes and source positions', () => {
    const full = encodeOperatorState(3, REF, {
      kind: 'full',
      entries: [{ key: 'é€', value: Uint8Array.of(1) }, { key: Uint8Array.of(9), value: Uint8Array.of() }, { key: 'x', value: Uint8Array.of(0) }],
    });
    const inc = encodeOperatorState(5, REF, { kind: 'incremental', baseCheckpointId: 3, upserts: [{ key: 'x', value: Uint8Array.of(2) }], deletes: [Uint8Array.of(9)] });
    const inc2 = encodeOperatorState(6, REF, { kind: 'incremental', baseCheckpointId: 5, upserts: [{ key: Uint8Array.of(9), value: Uint8Array.of(3) }], deletes: ['x'] });
    assert.deepEqual([inc.kind, inc.baseCheckpointId, inc.upsertCount, inc.deleteCount], ['incremental', 3, 1, 1]);
    const fullBlob = openBlob(full.blob, expectFull);
    const incBlob = openBlob(inc.blob, { kind: BlobKind.Incremental, checkpointId: 5, ...REF });
    const inc2Blob = openBlob(inc2.blob, { kind: BlobKind.Incremental, checkpointId: 6, ...REF });
    assert.ok(fullBlob.kind === 'intact' && incBlob.kind === 'intact' && inc2Blob.kind === 'intact');
    assert.equal(incBlob.header.baseCheckpointId, 3);
    const folded = foldOperatorStates(fullBlob, [incBlob, inc2Blob]);
    assert.deepEqual(folded.map((e) => [e.key, [...e.value]]), [['é€', [1]], [Buffer.of(9), [3]]]);
    assert.ok(Buffer.isBuffer(folded[1]!.key), 'byte keys come back as bytes, string keys as strings');

    const sources = encodeSourcePositions(5, { relationOffsets: new Map([[16385, 2 ** 40]]), builtinPositions: new Map([['gen', 'seed=1']]) });
    const opened = openBlob(sources, { kind: BlobKind.Sources, checkpointId: 5, queryOid: 0, operatorId: '' });
    assert.equal(opened.kind, 'intact');
    if (opened.kind === 'intact') {
      const decoded = decodeSourcePositions(opened);
      assert.deepEqual([...decoded.relationOffsets], [[16385, 2 ** 40]]);
      assert.deepEqual([...decoded.builtinPositions], [['gen', 'seed=1']]);
    }
  });

  it('reports every single-bit flip and every truncation', () => {
    const { blob } = encodeOperatorState(3, REF, { kind: 'full', entries: [{ key: 'k', value: Buffer.from('value') }] });
    for (let i = 0; i < blob.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = Buffer.from(blob);
        flipped[i] = flipped[i]! ^ (1 << bit);
        assert.equal(openBlob(flipped, expectFull).kind, 'damaged', `byte ${i} bit ${bit}`);
      }
    }
    for (let len = 0; len < blob.length; len++) assert.equal(openBlob(blob.subarray(0, len), expectFull).kind, 'damaged', `length ${len}`);
    assert.equal(openBlob(null, expectFull).kind, 'damaged');
  });

  it('reports an intact blob stored under another checkpoint, operator or kind', () => {
    const { blob } = encodeOperatorState(3, REF, { kind: 'full', entries: [] });
    assert.equal(openBlob(blob, expectFull).kind, 'intact');
    for (const wrong of [
      { ...expectFull, checkpointId: 4 },
      { ...expectFull, operatorId: 'TopN#5' },
      { ...expectFull, queryOid: 8 },
      { ...expectFull, kind: BlobKind.Incremental },
    ]) {
      const opened = openBlob(blob, wrong);
      assert.equal(opened.kind, 'damaged');
      if (opened.kind === 'damaged') assert.match(opened.failure, /does not match/);
    }
  });

  it('refuses an incremental write whose base is not an earlier checkpoint', () => {
    assert.throws(() => encodeOperatorState(3, REF, { kind: 'incremental', baseCheckpointId: 3, upserts: [], deletes: [] }), /earlier checkpoint/);
  });
});
