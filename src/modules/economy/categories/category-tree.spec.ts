import { depthOf, pathOf, rootOf, subtreeHeight, withDescendants } from './category-tree';

const nodes = [
  { _id: 'A1', parentId: null, name: 'Boende' },
  { _id: 'A2', parentId: 'A1', name: 'El' },
  { _id: 'A3', parentId: 'A1', name: 'Hyra' },
  { _id: 'A4', parentId: 'A2', name: 'Nätavgift' },
  { _id: 'A5', parentId: null, name: 'Mat' },
];

describe('category tree', () => {
  it('finds a category with all its descendants', () => {
    expect(withDescendants(nodes, 'A1').sort()).toEqual(['A1', 'A2', 'A3', 'A4']);
    expect(withDescendants(nodes, 'A2')).toEqual(['A2', 'A4']);
    expect(withDescendants(nodes, 'A5')).toEqual(['A5']);
    expect(withDescendants(nodes, 'A9')).toEqual(['A9']);
  });

  it('measures depth and height, names paths and roots', () => {
    expect(depthOf(nodes, 'A1')).toBe(1);
    expect(depthOf(nodes, 'A4')).toBe(3);
    expect(subtreeHeight(nodes, 'A1')).toBe(3);
    expect(subtreeHeight(nodes, 'A3')).toBe(1);
    expect(pathOf(nodes, 'A4')).toBe('Boende / El / Nätavgift');
    expect(rootOf(nodes, 'A4')).toBe('A1');
    expect(rootOf(nodes, 'A5')).toBe('A5');
  });

  it('does not loop on a stored cycle', () => {
    const cyclic = [
      { _id: 'B1', parentId: 'B2', name: 'x' },
      { _id: 'B2', parentId: 'B1', name: 'y' },
    ];
    expect(withDescendants(cyclic, 'B1').sort()).toEqual(['B1', 'B2']);
    expect(depthOf(cyclic, 'B1')).toBe(2);
    expect(subtreeHeight(cyclic, 'B1')).toBe(2);
  });
});
