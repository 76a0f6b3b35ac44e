import { applyMetadataPatch, keysToSet, removedKeys } from './metadata-patch';

/** A patch as parseMetadataPatch hands it over: no prototype. */
const patchOf = (entries: Record<string, string | number | boolean | null>) =>
  Object.assign(Object.create(null) as Record<string, string | number | boolean | null>, entries);

describe(applyMetadataPatch.name, () => {
  it('sets given keys, removes null ones, keeps the rest', () => {
    const next = applyMetadataPatch(
      { title: 'A horse', year: 1999, category: 'animals' },
      patchOf({ title: 'A white horse', year: null, color: 'white' }),
    );
    expect({ ...next }).toEqual({ title: 'A white horse', category: 'animals', color: 'white' });
  });

  it('sets and removes keys named like Object.prototype members as any other', () => {
    const next = applyMetadataPatch(
      { toString: 'old' },
      patchOf({ constructor: 'y', toString: null, valueOf: 3 }),
    );
    expect(Object.entries(next)).toEqual([
      ['constructor', 'y'],
      ['valueOf', 3],
    ]);
  });
});

describe(removedKeys.name, () => {
  it('names only the keys the item holds, not inherited ones such as constructor', () => {
    expect(removedKeys({ a: 1 }, patchOf({ a: null, constructor: null, b: 2 }))).toEqual(['a']);
    expect(removedKeys({ constructor: 'x' }, patchOf({ constructor: null }))).toEqual([
      'constructor',
    ]);
  });
});

describe(keysToSet.name, () => {
  it('leaves removals out and keeps every other key', () => {
    expect({ ...keysToSet(patchOf({ constructor: 'y', gone: null, n: 0 })) }).toEqual({
      constructor: 'y',
      n: 0,
    });
  });
});
