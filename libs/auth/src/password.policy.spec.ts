import { PasswordPolicy } from './password.policy';

describe(PasswordPolicy.name, () => {
  const policy = new PasswordPolicy();

  describe('check', () => {
    it('accepts a long, varied password', () => {
      expect(policy.check('correct horse battery staple', 'alice')).toEqual([]);
    });

    it('asks for at least 8 characters, counting characters rather than bytes', () => {
      expect(policy.check('short', 'alice')).toEqual([
        'password must be at least 8 characters long',
      ]);
      expect(policy.check('😀😀😀😀😀😀😀🙂', 'alice')).toEqual([]);
    });

    it('refuses more than 256 characters', () => {
      expect(policy.check('ab'.repeat(129), 'alice')).toEqual([
        'password must be at most 256 characters long',
      ]);
    });

    it('refuses one character repeated', () => {
      expect(policy.check('aaaaaaaaaa', 'alice')).toEqual([
        'password must not be one character repeated',
      ]);
    });

    it('refuses the username, whatever its case', () => {
      expect(policy.check('Alice.Smith', 'alice.smith')).toEqual([
        'password must not be the same as the username',
      ]);
    });

    it('lists every rule broken at once', () => {
      expect(policy.check('', 'bob')).toEqual(['password must be at least 8 characters long']);
      expect(policy.check('zzz', 'zzz')).toEqual([
        'password must be at least 8 characters long',
        'password must not be one character repeated',
        'password must not be the same as the username',
      ]);
    });
  });
});
