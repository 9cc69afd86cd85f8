import type { ComponentChildren } from 'preact';

/**
 * A form whose submit runs `onRun` instead of navigating. The browser's own validation is off:
 * the server validates, and its message (naming the field) is what the user sees.
 */
export function ActionForm({ class: className, label, onRun, children }: { class?: string; label?: string; onRun(): unknown; children: ComponentChildren }) {
  return (
    <form
      noValidate
      class={className}
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        void onRun();
      }}
    >
      {children}
    </form>
  );
}
