import { useEffect, useRef } from 'preact/hooks';
import { ownValue } from '../../shared/safe-keys.js';

export type Hotkeys = Record<string, (event: KeyboardEvent) => void>;

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT');
}

/**
 * Single-key shortcuts on the document, keyed by `KeyboardEvent.key`. Ignored while typing in
 * a field (except Escape), inside a dialog, and when a modifier other than Shift is held, so
 * browser and screen-reader shortcuts keep working.
 */
export function useHotkeys(keys: Hotkeys): void {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      // An open dialog owns the keyboard, even when focus fell back to <body> (Esc closes it natively).
      if (document.querySelector('dialog[open]')) return;
      if (event.key !== 'Escape' && isTyping(event.target)) return;
      // Enter on a focused link or button is that control's own business.
      if (event.key === 'Enter' && (event.target as HTMLElement | null)?.closest?.('a, button, summary, [role="button"]')) return;
      const handler = ownValue(current.current, event.key);
      if (!handler) return;
      event.preventDefault();
      handler(event);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
