import { Component, type ComponentChildren } from 'preact';
import styles from './style.module.css';

interface State {
  error: Error | null;
}

/** The root's last line of defence: a render error shows a message and a reload, not a blank page. */
export class ErrorBoundary extends Component<{ children: ComponentChildren }, State> {
  override state: State = { error: null };

  static override getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    console.error('hookscope inspector crashed', error);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" class={styles.box}>
        <h1>Something went wrong in the inspector</h1>
        <p>Your captured requests are safe on the server. Reloading usually helps.</p>
        <pre class={styles.message}>{this.state.error.message}</pre>
        <button type="button" data-variant="primary" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
