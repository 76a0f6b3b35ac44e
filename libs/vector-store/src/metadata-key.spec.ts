import { metadataKeyProblem } from './metadata-key';

describe(metadataKeyProblem.name, () => {
  it.each(['title', 'Serial No.', 'constructor', 'toString', 'a$b', 'a#b', ' x', 'hasOwnProperty'])(
    'accepts %j',
    (key) => {
      expect(metadataKeyProblem(key)).toBeUndefined();
    },
  );

  it.each([
    ['$dollar', 'names may not start with "$" or "#"'],
    ['#document', 'names may not start with "$" or "#"'],
    ['', 'names may not be empty'],
    ['__proto__', 'names may not be "__proto__"'],
  ])('refuses %j: %s', (key, problem) => {
    expect(metadataKeyProblem(key)).toBe(problem);
  });
});
