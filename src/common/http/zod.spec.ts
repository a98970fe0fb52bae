import { multilineText, text } from './zod';

const CONTROL_MESSAGE = 'must not contain control characters';

/** The issue messages of a failed parse, or [] when it succeeds. */
const problems = (
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
  value: unknown,
) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error!.issues.map((i) => i.message);
};

describe('text (one line)', () => {
  it('trims and keeps 1..max characters', () => {
    expect(text(10).parse('  Elräkning  ')).toBe('Elräkning');
    expect(problems(text(10), '   ')).toHaveLength(1);
    expect(problems(text(3), 'abcd')).toHaveLength(1);
  });

  it.each([
    ['NUL', 'Elräkning\u0000'],
    ['ESC', 'A\u001bB'],
    ['BEL', 'A\u0007B'],
    ['DEL', 'A\u007fB'],
    ['C1 (NEL)', 'A\u0085B'],
    ['line feed', 'A\nB'],
    ['carriage return', 'A\rB'],
    ['tab', 'A\tB'],
  ])('refuses %s inside the text', (_label, value) => {
    expect(problems(text(100), value)).toEqual([CONTROL_MESSAGE]);
  });

  it('allowEmpty accepts an empty text and still refuses control characters', () => {
    expect(text(10, { allowEmpty: true }).parse('  ')).toBe('');
    expect(problems(text(10, { allowEmpty: true }), 'A\u0000')).toEqual([CONTROL_MESSAGE]);
    expect(problems(text(3, { allowEmpty: true }), 'abcd')).toHaveLength(1);
  });

  it('keeps letters, symbols and format characters that are not controls', () => {
    expect(text(100).parse('Café Ström – 50 % (\u00a0nbsp\u200d)')).toBe(
      'Café Ström – 50 % (\u00a0nbsp\u200d)',
    );
  });
});

describe('multilineText', () => {
  it('keeps line feeds, carriage returns and tabs inside the text, unchanged', () => {
    const note = 'Rad ett\nRad två\r\n\tindrag';
    expect(multilineText(100).parse(note)).toBe(note);
    expect(multilineText(100).parse('\n  Rad ett\nRad två \n')).toBe('Rad ett\nRad två');
  });

  it.each([
    ['NUL', 'Elräkning\u0000'],
    ['ESC', 'A\u001bB'],
    ['BEL', 'A\u0007B'],
    ['vertical tab', 'A\u000bB'],
    ['form feed', 'A\u000cB'],
    ['DEL', 'A\u007fB'],
    ['C1 (NEL)', 'A\u0085B'],
    ['NUL next to a newline', 'A\n\u0000B'],
  ])('refuses %s', (_label, value) => {
    expect(problems(multilineText(100), value)).toEqual([CONTROL_MESSAGE]);
  });

  it('needs 1..max characters unless allowEmpty', () => {
    expect(problems(multilineText(10), ' \n ')).toHaveLength(1);
    expect(multilineText(10, { allowEmpty: true }).parse(' \n ')).toBe('');
    expect(problems(multilineText(5, { allowEmpty: true }), 'abc\ndef')).toHaveLength(1);
    expect(problems(multilineText(5, { allowEmpty: true }), '\u0000')).toEqual([CONTROL_MESSAGE]);
  });

  it('chains with nullable/optional like the fields use it', () => {
    const note = multilineText(2000, { allowEmpty: true }).nullable().optional();
    expect(note.parse(undefined)).toBeUndefined();
    expect(note.parse(null)).toBeNull();
    expect(note.parse('a\nb')).toBe('a\nb');
    expect(problems(note, 'a\u001bb')).toEqual([CONTROL_MESSAGE]);
  });
});
