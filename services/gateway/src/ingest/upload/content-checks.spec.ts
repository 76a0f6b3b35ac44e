import { textCheck, zipCheck } from './content-checks';

describe(zipCheck.name, () => {
  const verdict = (...chunks: Buffer[]) => {
    const check = zipCheck('archive');
    for (const chunk of chunks) {
      const refusal = check.inspect(chunk);
      if (refusal) return refusal;
    }
    return check.end(chunks.reduce((size, chunk) => size + chunk.length, 0));
  };

  it('accepts a file that starts with a ZIP signature, even split across chunks', () => {
    expect(verdict(Buffer.from('PK'), Buffer.from([3, 4, 20, 0]))).toBeUndefined();
    expect(verdict(Buffer.from([0x50, 0x4b, 5, 6, 0, 0]))).toBeUndefined();
  });

  it('refuses other files with 415 saying why', () => {
    const refusal = verdict(Buffer.from('id,image\n'));

    expect(refusal?.getStatus()).toBe(415);
    expect(refusal?.message).toBe(
      'archive is not a readable ZIP file: it does not start with a ZIP signature',
    );
  });

  it('refuses an empty or truncated file', () => {
    expect(verdict()?.message).toBe('archive is not a readable ZIP file: it is empty');
    expect(verdict(Buffer.from('PK'))?.message).toBe(
      'archive is not a readable ZIP file: it is only 2 bytes long',
    );
  });
});

describe(textCheck.name, () => {
  it('accepts UTF-8 text and refuses bytes no text file holds', () => {
    const check = textCheck('csv');

    expect(check.inspect(Buffer.from('id,image\nç,é.png\n'))).toBeUndefined();
    const refusal = check.inspect(Buffer.from('i\0d\0,\0'));
    expect(refusal?.getStatus()).toBe(415);
    expect(refusal?.message).toMatch(/^csv is not a text file: /);
  });
});
