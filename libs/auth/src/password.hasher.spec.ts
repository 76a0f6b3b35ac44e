import { PasswordHasher } from './password.hasher';

describe(PasswordHasher.name, () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id and a fresh salt each time', async () => {
    const [first, second] = await Promise.all([
      hasher.hash('a fine password'),
      hasher.hash('a fine password'),
    ]);
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(first).not.toBe(second);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('a fine password');
    await expect(hasher.verify(stored, 'a fine password')).resolves.toBe(true);
    await expect(hasher.verify(stored, 'A fine password')).resolves.toBe(false);
  });

  it('refuses any password when there is no stored hash, after the same work', async () => {
    await expect(hasher.verify(undefined, 'a fine password')).resolves.toBe(false);
    await expect(hasher.verify(undefined, 'no such user: the outcome is discarded')).resolves.toBe(
      false,
    );
  });
});
