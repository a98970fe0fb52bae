import { ORG_TYPES } from '../../../common/auth/roles';
import { normalizeKey } from '../common/text';
import { countDefaults, defaultCategories } from './category-defaults';

describe('default categories', () => {
  it.each(ORG_TYPES)('%s: unique keys, unique sibling names, children of the parent kind', (type) => {
    const roots = defaultCategories(type);
    const all = roots.flatMap((r) => [r, ...(r.children ?? [])]);
    expect(new Set(all.map((c) => c.key)).size).toBe(all.length);
    const rootNames = roots.map((r) => `${r.kind}:${normalizeKey(r.name)}`);
    expect(new Set(rootNames).size).toBe(rootNames.length);
    for (const root of roots) {
      const names = (root.children ?? []).map((c) => normalizeKey(c.name));
      expect(new Set(names).size).toBe(names.length);
      for (const child of root.children ?? []) {
        expect(child.kind).toBe(root.kind);
        expect(child.children).toBeUndefined();
      }
    }
    expect(countDefaults(type)).toBe(all.length);
    expect(roots.some((r) => r.kind === 'income')).toBe(true);
    expect(roots.some((r) => r.kind === 'expense')).toBe(true);
  });

  it('varies by type', () => {
    const names = (type: (typeof ORG_TYPES)[number]) =>
      defaultCategories(type).flatMap((r) => [r.name, ...(r.children ?? []).map((c) => c.name)]);
    expect(names('association')).toContain('Medlemsavgifter');
    expect(names('family')).toContain('Barnbidrag');
    expect(names('household')).not.toContain('Barnbidrag');
    expect(names('company')).toContain('Löner');
  });

  it('companies and associations book on 4-digit BAS accounts; households need none', () => {
    for (const type of ['company', 'association'] as const) {
      for (const root of defaultCategories(type)) {
        for (const c of [root, ...(root.children ?? [])]) expect(c.bas).toMatch(/^[1-8]\d{3}$/);
      }
    }
    expect(defaultCategories('household').every((c) => c.bas === undefined)).toBe(true);
  });
});
