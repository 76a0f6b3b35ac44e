import { classifyEntryName } from './zip-entry-name';

describe(classifyEntryName.name, () => {
  it.each([
    ['photos/astronaut.png', 'photos/astronaut.png'],
    ['./photos//cat.png', 'photos/cat.png'],
    ['photos\\windows.png', 'photos/windows.png'],
  ])('accepts %s as %s', (raw, name) => {
    expect(classifyEntryName(raw)).toEqual({ kind: 'file', name });
  });

  it.each([
    ['../evil.png', '".."'],
    ['photos/../../evil.png', '".."'],
    ['..\\evil.png', '".."'],
    ['/etc/passwd', 'absolute path'],
    ['\\windows\\evil.png', 'absolute path'],
    ['C:/evil.png', 'absolute path'],
    ['a\0b.png', 'NUL'],
  ])('refuses %s', (raw, reason) => {
    const verdict = classifyEntryName(raw);
    expect(verdict.kind).toBe('refused');
    expect(verdict.kind === 'refused' && verdict.reason).toContain(reason);
  });

  it.each([
    ['photos/', 'directory'],
    ['__MACOSX/photos/._cat.png', 'macos-metadata'],
    ['.DS_Store', 'hidden'],
    ['photos/.DS_Store', 'hidden'],
    ['.git/config', 'hidden'],
  ])('ignores %s as %s', (raw, why) => {
    expect(classifyEntryName(raw)).toEqual({ kind: 'ignored', why });
  });
});
