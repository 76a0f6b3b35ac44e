import { MetadataPatchError, parseMetadataPatch } from './metadata-patch';

const refusal = (body: string) => {
  try {
    parseMetadataPatch((JSON.parse(body) as { metadata: unknown }).metadata);
  } catch (error) {
    expect(error).toBeInstanceOf(MetadataPatchError);
    return (error as Error).message;
  }
  throw new Error(`${body} was not refused`);
};

describe(parseMetadataPatch.name, () => {
  it('keeps every ordinary key, those named like Object.prototype members included', () => {
    const body =
      '{"metadata":{"constructor":"y","toString":"z","hasOwnProperty":1,"a":null,"b":true}}';
    const patch = parseMetadataPatch((JSON.parse(body) as { metadata: unknown }).metadata);
    expect(Object.entries(patch)).toEqual([
      ['constructor', 'y'],
      ['toString', 'z'],
      ['hasOwnProperty', 1],
      ['a', null],
      ['b', true],
    ]);
    expect(Object.getPrototypeOf(patch)).toBeNull();
  });

  it('refuses a number JSON parses to Infinity', () => {
    expect(refusal('{"metadata":{"big":1e400}}')).toBe('metadata.big must be a finite number');
    expect(refusal('{"metadata":{"small":-1e400}}')).toBe('metadata.small must be a finite number');
  });

  it('refuses __proto__, which a JSON body can hold as an own key', () => {
    expect(refusal('{"metadata":{"__proto__":"x"}}')).toBe(
      'metadata key "__proto__" is not allowed: names may not be "__proto__"',
    );
  });

  it.each([
    ['$dollar', 'names may not start with "$" or "#"'],
    ['#hash', 'names may not start with "$" or "#"'],
    ['', 'names may not be empty'],
  ])('refuses the key %j as ingest refuses such a column: %s', (key, problem) => {
    expect(refusal(JSON.stringify({ metadata: { [key]: 1 } }))).toBe(
      `metadata key "${key}" is not allowed: ${problem}`,
    );
  });

  it('refuses values the vector store cannot hold', () => {
    expect(refusal('{"metadata":{"tags":["a","b"]}}')).toBe(
      'metadata.tags must be a string, number, boolean, or null to remove it; got ["a","b"]',
    );
    expect(refusal('{"metadata":{"nested":{"a":1}}}')).toBe(
      'metadata.nested must be a string, number, boolean, or null to remove it; got {"a":1}',
    );
  });

  it.each(['[]', '"text"', '1'])('refuses metadata that is not an object: %s', (metadata) => {
    expect(refusal(`{"metadata":${metadata}}`)).toBe('metadata must be an object');
  });
});
