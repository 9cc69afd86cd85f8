import { useEffect, useRef, useState } from 'preact/hooks';
import { pointerSegments, toPointer } from '../../../shared/checks/pointer.js';
import { MAX_JSON_DEPTH, tooDeepNote } from '../../../shared/json-depth.js';
import styles from './style.module.css';

/** A place to reveal: a JSON Pointer; `seq` changes on every request, so the same place can be asked for again. */
export interface TreeFocus {
  pointer: string;
  seq: number;
}

/** Levels open at first; deeper containers start collapsed. */
const OPEN_DEPTH = 4;
/** "Expand all" stops here, so a pathological document cannot render millions of nodes at once. */
const EXPAND_ALL_DEPTH = 12;
const FIRST_CHILDREN = 100;

interface Command {
  expand: boolean;
  seq: number;
}

/**
 * A collapsible, syntax-coloured JSON tree. Every key and value is rendered as text. `focus`
 * opens the tree down to a JSON Pointer (or the deepest part of it that exists), scrolls to
 * that node and highlights it; each node carries its pointer in `data-pointer`.
 */
export function JsonTree({ value, focus = null }: { value: unknown; focus?: TreeFocus | null }) {
  const [command, setCommand] = useState<Command | null>(null);
  const reveal = focus ? { pointer: existingPart(value, focus.pointer), seq: focus.seq } : null;
  const run = (expand: boolean) => setCommand({ expand, seq: (command?.seq ?? 0) + 1 });
  const container = isContainer(value);
  return (
    <div class={styles.tree} data-testid="json-tree">
      {container && (
        <div class={styles.toolbar}>
          <button type="button" data-variant="quiet" onClick={() => run(true)}>
            Expand all
          </button>
          <button type="button" data-variant="quiet" onClick={() => run(false)}>
            Collapse all
          </button>
        </div>
      )}
      <ul class={styles.root}>
        <JsonNode name={null} value={value} depth={0} command={command} last pointer="" focus={reveal} />
      </ul>
    </div>
  );
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

/** The longest prefix of `pointer` that names a node of `value` ('' at worst: the root). */
function existingPart(value: unknown, pointer: string): string {
  const found: string[] = [];
  let node = value;
  for (const segment of pointerSegments(pointer)) {
    if (!isContainer(node) || !Object.prototype.hasOwnProperty.call(node, segment)) break;
    node = (node as Record<string, unknown>)[segment];
    found.push(segment);
  }
  return toPointer(found);
}

interface NodeProps {
  name: string | number | null;
  value: unknown;
  depth: number;
  command: Command | null;
  last: boolean;
  pointer: string;
  focus: TreeFocus | null;
}

function JsonNode({ name, value, depth, command, last, pointer, focus }: NodeProps) {
  const [open, setOpen] = useState(depth < OPEN_DEPTH);
  const [shown, setShown] = useState(FIRST_CHILDREN);
  const item = useRef<HTMLLIElement>(null);
  const target = focus?.pointer === pointer;
  useEffect(() => {
    if (command) setOpen(command.expand ? depth < EXPAND_ALL_DEPTH : depth === 0);
  }, [command]);
  useEffect(() => {
    if (!focus) return;
    if (target) {
      // The body may sit in a closed <details>; open it before scrolling there.
      const details = item.current?.closest('details');
      if (details) details.open = true;
      item.current?.scrollIntoView({ block: 'center' });
      (item.current?.querySelector<HTMLElement>(':scope > button') ?? item.current)?.focus({ preventScroll: true });
    } else if (focus.pointer.startsWith(`${pointer}/`) && isContainer(value)) {
      setOpen(true);
      const child = pointerSegments(focus.pointer.slice(pointer.length))[0]!;
      const index = Array.isArray(value) ? Number(child) : Object.keys(value).indexOf(child);
      if (index >= shown) setShown(index + 1);
    }
  }, [focus]);
  const mark = { ref: item, 'data-pointer': pointer, 'data-highlighted': target ? '' : undefined, tabIndex: target ? -1 : undefined };
  const comma = last ? '' : ',';
  const label =
    name === null ? null : typeof name === 'number' ? <span class={styles.index}>{name}: </span> : <span class={styles.key}>{JSON.stringify(name)}: </span>;

  if (isContainer(value) && depth >= MAX_JSON_DEPTH) {
    // The server builds no tree deeper than this; whatever gets here still cannot recurse without end.
    return (
      <li class={styles.leaf} {...mark}>
        {label}
        <span class={styles.summary}>{`${Array.isArray(value) ? '[…]' : '{…}'} ${tooDeepNote()}`}</span>
        {comma}
      </li>
    );
  }
  if (!isContainer(value)) {
    return (
      <li class={styles.leaf} {...mark}>
        {label}
        <Primitive value={value} />
        {comma}
      </li>
    );
  }
  const isArray = Array.isArray(value);
  const entries: [string | number, unknown][] = isArray ? value.map((v, i) => [i, v]) : Object.entries(value);
  const [openBrace, closeBrace] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <li class={styles.leaf} {...mark}>
        {label}
        <span class={styles.brace}>{openBrace + closeBrace}</span>
        {comma}
      </li>
    );
  }
  return (
    <li class={styles.node} {...mark}>
      <button type="button" class={styles.toggle} aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class={styles.arrow} aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        {label}
        <span class={styles.brace}>{openBrace}</span>
        {!open && (
          <span class={styles.summary}>
            {' '}
            {entries.length} {isArray ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'}{' '}
          </span>
        )}
        {!open && (
          <span class={styles.brace}>
            {closeBrace}
            {comma}
          </span>
        )}
      </button>
      {open && (
        <>
          <ul class={styles.children}>
            {entries.slice(0, shown).map(([key, child], i) => (
              <JsonNode
                key={key}
                name={key}
                value={child}
                depth={depth + 1}
                command={command}
                last={i === entries.length - 1}
                pointer={toPointer([...pointerSegments(pointer), key])}
                focus={focus}
              />
            ))}
            {entries.length > shown && (
              <li>
                <button type="button" data-variant="quiet" onClick={() => setShown(shown + 500)}>
                  Show {Math.min(500, entries.length - shown)} more of {entries.length - shown}
                </button>
              </li>
            )}
          </ul>
          <span class={styles.brace}>
            {closeBrace}
            {comma}
          </span>
        </>
      )}
    </li>
  );
}

/** Longer strings show their start and a button for the rest (a base64 image can be megabytes). */
const STRING_PREVIEW = 2000;

function LongString({ value }: { value: string }) {
  const [full, setFull] = useState(false);
  const text = JSON.stringify(value);
  if (full || text.length <= STRING_PREVIEW) return <span class={styles.string}>{text}</span>;
  return (
    <span class={styles.string}>
      {text.slice(0, STRING_PREVIEW)}
      <button type="button" data-variant="quiet" class={styles.more} onClick={() => setFull(true)}>
        … show {(text.length - STRING_PREVIEW).toLocaleString()} more characters
      </button>
    </span>
  );
}

function Primitive({ value }: { value: unknown }) {
  if (typeof value === 'string') return <LongString value={value} />;
  if (typeof value === 'number') return <span class={styles.number}>{String(value)}</span>;
  if (typeof value === 'boolean') return <span class={styles.boolean}>{String(value)}</span>;
  return <span class={styles.null}>null</span>;
}
