// The large-body tree's rows (web/lib/tree-rows.ts and json-nodes.ts), in Node: what the Web
// Worker keeps and answers. The browser test (test/browser/large-tree.test.ts) drives it in Chromium.
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, tooDeepNote } from '../../shared/json-depth.js';
import { PREVIEW } from '../../web/lib/json-nodes.js';
import { EXPAND_ALL_DEPTH } from '../../web/lib/tree-messages.js';
import { TreeRows } from '../../web/lib/tree-rows.js';

/** Each row as one line of text, indented by depth, the way the tree draws it. */
function lines(tree: TreeRows): string[] {
  return tree.window(0, tree.total).map((row) => {
    const label = row.label === null ? '' : typeof row.label === 'number' ? `${row.label}: ` : `${JSON.stringify(row.label)}: `;
    const comma = row.last ? '' : ',';
    const braces = row.kind === 'array' ? '[]' : '{}';
    let text: string;
    if (row.close) text = braces[1]! + comma;
    else if ((row.kind === 'array' || row.kind === 'object') && row.count > 0)
      text = `${label}${braces[0]}${row.open ? '' : ` ${row.count} ${braces[1]}${comma}`}`;
    else if (row.kind === 'array' || row.kind === 'object') text = `${label}${braces}${comma}`;
    else text = `${label}${row.text}${comma}`;
    return '  '.repeat(row.depth) + text;
  });
}

describe('large-body tree rows', () => {
  it('opens four levels at first and draws members, items, closing braces and commas as the small tree does', () => {
    const tree = new TreeRows({ a: 1, b: [true, null, 's'], c: { d: { e: { f: { g: 1 } } } }, e: {} });
    expect(lines(tree)).toEqual([
      '{',
      '  "a": 1,',
      '  "b": [',
      '    0: true,',
      '    1: null,',
      '    2: "s"',
      '  ],',
      '  "c": {',
      '    "d": {',
      '      "e": {',
      '        "f": { 1 }',
      '      }',
      '    }',
      '  },',
      '  "e": {}',
      '}',
    ]);
    expect(tree.window(10, 11)[0]).toMatchObject({ pointer: '/c/d/e/f', open: false, count: 1, depth: 4 });
  });

  it('toggles a node open and closed, forgetting what was open below it', () => {
    const tree = new TreeRows({ x: [[1, [2]]] });
    expect(tree.total).toBe(10);
    tree.toggle(2); // "x"'s first item, open (depth 2)
    expect(lines(tree)).toEqual(['{', '  "x": [', '    0: [ 2 ]', '  ]', '}']);
    tree.toggle(2);
    expect(lines(tree)).toEqual(['{', '  "x": [', '    0: [', '      0: 1,', '      1: [ 1 ]', '    ]', '  ]', '}']);
    tree.toggle(4);
    expect(tree.total).toBe(10);
    tree.toggle(1); // close "x", then open it again: its item comes back closed
    tree.toggle(1);
    expect(lines(tree)).toEqual(['{', '  "x": [', '    0: [ 2 ]', '  ]', '}']);
    tree.toggle(4); // a closing brace: nothing happens
    tree.toggle(99);
    expect(tree.total).toBe(5);
  });

  it('expands all to EXPAND_ALL_DEPTH levels and collapses all to the root', () => {
    let value: unknown = 'bottom';
    for (let i = 0; i < 20; i++) value = [value];
    const tree = new TreeRows(value);
    tree.openTo(EXPAND_ALL_DEPTH);
    const rows = tree.window(0, tree.total);
    expect(rows.filter((row) => !row.close && row.open).length).toBe(EXPAND_ALL_DEPTH);
    expect(rows.find((row) => !row.close && !row.open)).toMatchObject({ depth: EXPAND_ALL_DEPTH, kind: 'array' });
    tree.openTo(1);
    expect(lines(tree)).toEqual(['[', '  0: [ 1 ]', ']']);
  });

  it('opens whole levels automatically only while they fit its row bound', () => {
    const tree = new TreeRows(Array.from({ length: 1000 }, () => [1, 2, 3]));
    tree.openTo(EXPAND_ALL_DEPTH, 2000);
    // The items' level would make 5,002 rows: it stays closed, all of it.
    expect(tree.total).toBe(1002);
    expect(tree.window(0, tree.total).filter((row) => !row.close && row.open).length).toBe(1);
    tree.openTo(EXPAND_ALL_DEPTH, 5002);
    expect(tree.total).toBe(5002);
  });

  it('reveals a pointer, or the deepest part of it that exists', () => {
    const tree = new TreeRows({ values: { messages: Array.from({ length: 50 }, (_, i) => ({ content: `m${i}`, deeper: { x: { y: { z: i } } } })) } });
    const row = tree.reveal('/values/messages/42/deeper/x/y/z');
    expect(tree.window(row, row + 1)[0]).toMatchObject({ pointer: '/values/messages/42/deeper/x/y/z', text: '42' });
    const part = tree.reveal('/values/messages/7/missing/more');
    expect(tree.window(part, part + 1)[0]!.pointer).toBe('/values/messages/7');
    expect(tree.window(tree.reveal('/values/messages/x'), tree.reveal('/values/messages/x') + 1)[0]!.pointer).toBe('/values/messages');
  });

  it('shows a "__proto__" member as a key, never as a prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": 1}}') as unknown;
    const tree = new TreeRows(value);
    expect(lines(tree)).toEqual(['{', '  "__proto__": {', '    "polluted": "yes"', '  },', '  "constructor": {', '    "prototype": 1', '  }', '}']);
    expect(tree.window(2, 3)[0]!.pointer).toBe('/__proto__/polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('walks 10,000 levels without recursion and marks containers past MAX_JSON_DEPTH', () => {
    const tree = new TreeRows(JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)));
    const row = tree.reveal('/0'.repeat(10_000));
    const deepest = tree.window(row, row + 1)[0]!;
    expect(deepest).toMatchObject({ depth: MAX_JSON_DEPTH, kind: 'deep', text: `[…] ${tooDeepNote()}` });
    expect(tree.total).toBe(2 * MAX_JSON_DEPTH + 1);
    tree.toggle(row); // a marked node does not open
    expect(tree.total).toBe(2 * MAX_JSON_DEPTH + 1);
  });

  it('cuts long strings to a preview without copying them whole', () => {
    const tree = new TreeRows({ image: 'A'.repeat(5_000_000) });
    expect(tree.window(1, 2)[0]).toMatchObject({ text: `"${'A'.repeat(PREVIEW)}`, cut: 5_000_000 - PREVIEW });
  });
});
